package dev.dbops.workflows.migration;

import dev.dbops.workflows.binlog.BinlogPosition;

/**
 * One look at the replica cluster's writer ({@code SHOW SLAVE STATUS}): how far behind the source
 * it is and whether replication runs.
 *
 * @param lagSeconds {@code Seconds_Behind_Master}; null while a thread is stopped or not a replica
 * @param ioRunning {@code Slave_IO_Running} is Yes ({@code Connecting} is not)
 * @param lastErrno {@code Last_IO_Errno} or, when 0, {@code Last_SQL_Errno}
 * @param executed the source position applied ({@code Relay_Master_Log_File} / {@code
 *     Exec_Master_Log_Pos}); null when not a replica
 * @param replica false when the server is no replica at all (promoted, or never set up)
 */
public record ReplicaLag(
    Long lagSeconds,
    boolean ioRunning,
    boolean sqlRunning,
    int lastErrno,
    String lastError,
    BinlogPosition executed,
    boolean replica) {

  public static final String BAND_STOPPED = "stopped";
  public static final String BAND_ERROR = "error";
  public static final String BAND_NOT_REPLICA = "not a replica";
  public static final String BAND_UNKNOWN = "unknown";
  public static final String BAND_ZERO = "0s";

  /** Both threads running and nothing left to apply. */
  public boolean caughtUp() {
    return replica && ioRunning && sqlRunning && lagSeconds != null && lagSeconds == 0;
  }

  /** A thread stopped on an error: waiting will not help; a person must look. */
  public boolean broken() {
    return replica && lastErrno != 0 && (!ioRunning || !sqlRunning);
  }

  /**
   * Coarse lag class: a report is written to the run's history only when it changes, so a lag that
   * stays in one band for 60 hours costs no more history than one that stays for 6.
   */
  public String band() {
    if (!replica) return BAND_NOT_REPLICA;
    if (broken()) return BAND_ERROR;
    if (!ioRunning || !sqlRunning) return BAND_STOPPED;
    if (lagSeconds == null) return BAND_UNKNOWN;
    long s = lagSeconds;
    if (s == 0) return BAND_ZERO;
    if (s < 60) return "<1m";
    if (s < 600) return "<10m";
    if (s < 3600) return "<1h";
    if (s < 6 * 3600) return "<6h";
    return ">=6h";
  }

  /** For status lines and NOT_READY messages. */
  public String describe() {
    if (!replica) return "not a replica";
    String threads = "io " + (ioRunning ? "Yes" : "No") + ", sql " + (sqlRunning ? "Yes" : "No");
    return (lagSeconds == null ? "lag unknown" : "lag " + lagSeconds + " s")
        + " ("
        + threads
        + (executed == null ? "" : ", at " + executed)
        + (lastErrno == 0 ? "" : ", error " + lastErrno + ": " + lastError)
        + ")";
  }
}
