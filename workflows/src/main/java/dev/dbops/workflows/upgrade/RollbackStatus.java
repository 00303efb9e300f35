package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.ApprovalRecord;
import dev.dbops.workflows.common.StepRecord;
import java.util.List;

/**
 * @param recordName the CNAME the run repoints (null without DNS)
 * @param previousCname what it pointed at before the run: to point it back by hand
 * @param approvers who may approve the repoint
 * @param approvals approvals, rejections and refusals so far
 * @param warnings e.g. a notice that could not be sent
 */
public record RollbackStatus(
    String phase,
    String waitingFor,
    String newClusterId,
    List<String> instances,
    List<StepRecord> timeline,
    String recordName,
    String previousCname,
    List<String> approvers,
    List<ApprovalRecord> approvals,
    List<String> warnings) {
  public RollbackStatus(
      String phase,
      String waitingFor,
      String newClusterId,
      List<String> instances,
      List<StepRecord> timeline) {
    this(phase, waitingFor, newClusterId, instances, timeline, null, null, null, null, null);
  }
}
