package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.StepRecord;
import java.util.List;

/**
 * The restored cluster's endpoints and, when the request named a CNAME, the repoint.
 *
 * @param outcome {@link #COMPLETED} or {@link #PLANNED} (a dry run; null in results written before
 *     it existed)
 * @param recordName the CNAME repointed to {@code endpoints.endpoint()} (null without DNS)
 * @param previousCname what it pointed at before: point it back there to undo the repoint
 * @param cnameChange the Route53 change id ({@code none} when the record already had the value)
 * @param plan the steps with their exact calls (a dry run lists them instead of running them)
 */
public record RollbackResult(
    String newClusterId,
    String snapshotId,
    ClusterEndpoints endpoints,
    List<String> instances,
    List<StepRecord> timeline,
    String outcome,
    String recordName,
    String previousCname,
    String cnameChange,
    List<ApprovalRecord> approvals,
    List<String> warnings,
    List<PlanStep> plan) {
  public static final String COMPLETED = "COMPLETED";
  public static final String PLANNED = "PLANNED";

  public RollbackResult(
      String newClusterId,
      String snapshotId,
      ClusterEndpoints endpoints,
      List<String> instances,
      List<StepRecord> timeline) {
    this(
        newClusterId,
        snapshotId,
        endpoints,
        instances,
        timeline,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
