package dev.dbops.workflows.staging;

import java.time.Duration;

/**
 * What happens to the previous staging cluster once the CNAME points at the new one.
 *
 * @param mode {@code GRACE} (default): delete after {@code grace}; an approval during the grace
 *     period retires at once, a rejection keeps the old cluster. {@code APPROVAL}: delete only
 *     after the request's approval policy is satisfied; a timeout keeps it. {@code KEEP}: never.
 * @param oldClusterId the cluster to retire; default: the target-account cluster whose endpoint the
 *     CNAME points at before the cutover
 * @param grace default 24 h
 * @param finalSnapshot take a final snapshot when deleting (default false: staging is rebuildable)
 */
public record RetirePolicy(
    String mode, String oldClusterId, Duration grace, Boolean finalSnapshot) {
  public static final String GRACE = "GRACE";
  public static final String APPROVAL = "APPROVAL";
  public static final String KEEP = "KEEP";

  public String modeOrDefault() {
    return mode == null ? GRACE : mode;
  }

  public Duration graceOrDefault() {
    return grace == null ? Duration.ofHours(24) : grace;
  }

  public boolean finalSnapshotWanted() {
    return Boolean.TRUE.equals(finalSnapshot);
  }
}
