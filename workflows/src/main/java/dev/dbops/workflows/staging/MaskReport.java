package dev.dbops.workflows.staging;

import java.util.List;

/**
 * What masking did.
 *
 * @param rowsChanged update counts in statement order
 * @param verification every verification query with its value; masking passed when all are 0
 */
public record MaskReport(
    String sha256,
    int statementsRun,
    List<Long> rowsChanged,
    List<VerifyResult> verification,
    long elapsedMillis) {
  public boolean passed() {
    return verification != null
        && !verification.isEmpty()
        && verification.stream().allMatch(v -> v.value() == 0);
  }
}
