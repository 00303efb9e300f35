package dev.dbops.workflows.binlog;

/**
 * Signal payload: a person's decision on a replication error the policy did not cover.
 *
 * @param action SKIP (journal and skip this one event group), RETRY (restart the SQL thread
 *     as is, e.g. after fixing data by hand) or ABORT (stop; replication stays stopped)
 */
public record ErrorDecision(String action, String by, String reason) {
  public static final String SKIP = "SKIP";
  public static final String RETRY = "RETRY";
  public static final String ABORT = "ABORT";
}
