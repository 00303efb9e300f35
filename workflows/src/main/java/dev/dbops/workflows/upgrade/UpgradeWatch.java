package dev.dbops.workflows.upgrade;

/**
 * One check of an in-flight upgrade.
 *
 * @param sinceEpochMillis read DescribeEvents from here (pass a Duration/StartTime: the default
 *     window is only the last hour)
 * @param lastReportedPhase the phase the workflow already knows
 * @param reportAfterEpochMillis a phase different from {@code lastReportedPhase} is reported (the
 *     check completes with UPGRADING) only once the clock has passed this instant; before it, a
 *     phase change is still NOT_READY. DONE and FAILED are reported at once. This keeps history to
 *     a few events per hour of upgrade at most, and none for a stuck phase.
 */
public record UpgradeWatch(
    String clusterId,
    String targetEngineVersion,
    String fromEngineVersion,
    long sinceEpochMillis,
    String lastReportedPhase,
    long reportAfterEpochMillis) {}
