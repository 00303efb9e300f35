package dev.dbops.workflows.upgrade;

/**
 * Thresholds for the SQL pre-checks.
 *
 * @param maxTrxRowsModified block when an open transaction modified more rows (default 100,000)
 * @param warnHistoryListLength warn above this history list length (default 1,000,000)
 * @param maxHistoryListLength block above this (default 10,000,000)
 */
public record PrecheckLimits(
    Long maxTrxRowsModified, Long warnHistoryListLength, Long maxHistoryListLength) {
  public static PrecheckLimits defaults() {
    return new PrecheckLimits(100_000L, 1_000_000L, 10_000_000L);
  }

  public long maxTrxRowsModifiedOrDefault() {
    return maxTrxRowsModified == null ? 100_000L : maxTrxRowsModified;
  }

  public long warnHistoryListLengthOrDefault() {
    return warnHistoryListLength == null ? 1_000_000L : warnHistoryListLength;
  }

  public long maxHistoryListLengthOrDefault() {
    return maxHistoryListLength == null ? 10_000_000L : maxHistoryListLength;
  }
}
