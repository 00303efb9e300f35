package dev.dbops.workflows.upgrade;

/**
 * One check of an in-flight upgrade.
 *
 * @param sinceEpochMillis read DescribeEvents from here (pass a Duration/StartTime: the
 *     default window is only the last hour)
 * @param lastReportedPhase the phase the workflow already knows; the check completes when the
 *     phase differs, so status() follows the phases without a history event per poll
 */
public record UpgradeWatch(
    String clusterId, String targetEngineVersion, String fromEngineVersion, long sinceEpochMillis,
    String lastReportedPhase) {}
