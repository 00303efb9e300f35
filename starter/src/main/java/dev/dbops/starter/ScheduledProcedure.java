package dev.dbops.starter;

import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.upgrade.UpgradeRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import java.util.ArrayList;
import java.util.List;

/**
 * A procedure's request as a Temporal Schedule: the action starts the procedure's workflow with the
 * validated request under {@code <procedure>/<schedule-id>}. Temporal appends each run's scheduled
 * time to that id ({@code staging-rebuild/weekly-2026-01-05T18:00:00Z}), so the names a run derives
 * from its workflow id (snapshots, clusters) are its own.
 */
final class ScheduledProcedure {
  private ScheduledProcedure() {}

  /** Longest schedule id accepted: the workflow ids built from it stay readable. */
  static final int MAX_ID = 200;

  /** What Temporal appends to the action's workflow id, as an example for checks and help. */
  static final String EXAMPLE_SUFFIX = "-2026-01-05T18:00:00Z";

  static final String OTHER_SUFFIX = "-2026-01-12T18:00:00Z";

  static String workflowIdPrefix(Procedure<?> procedure, String scheduleId) {
    return procedure.name() + "/" + scheduleId;
  }

  /** What is wrong with the schedule id for this procedure, one message per problem. */
  static List<String> problems(Procedure<?> procedure, String scheduleId) {
    List<String> out = new ArrayList<>();
    if (scheduleId == null || scheduleId.isBlank()) {
      out.add("schedule-id: required");
      return out;
    }
    if (scheduleId.length() > MAX_ID) out.add("schedule-id: longer than " + MAX_ID + " characters");
    if (!scheduleId.chars().allMatch(c -> c > ' ' && c < 127)) {
      out.add("schedule-id: '" + scheduleId + "' has spaces or characters outside printable ASCII");
    }
    if (procedure == Procedures.UPGRADE) {
      // The pre-upgrade snapshot id is cut to RDS's 63 characters: a long id would cut off the
      // scheduled time and give every run the same snapshot.
      String prefix = workflowIdPrefix(procedure, scheduleId);
      if (UpgradeRequest.snapshotIdFor(prefix + EXAMPLE_SUFFIX)
          .equals(UpgradeRequest.snapshotIdFor(prefix + OTHER_SUFFIX))) {
        out.add(
            "schedule-id: too long for upgrade: the pre-upgrade snapshot id (63 characters at most)"
                + " would lose the scheduled time and be the same for every run");
      }
    }
    return out;
  }

  /**
   * The schedule: its action starts {@code procedure} with {@code request} on {@code taskQueue}.
   */
  static Schedule schedule(
      Procedure<?> procedure,
      Object request,
      String scheduleId,
      String taskQueue,
      ScheduleTiming timing,
      String createdBy) {
    ScheduleActionStartWorkflow action =
        ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(procedure.workflowType())
            .setArguments(request)
            .setOptions(
                WorkflowOptions.newBuilder()
                    .setWorkflowId(workflowIdPrefix(procedure, scheduleId))
                    .setTaskQueue(taskQueue)
                    .build())
            .build();
    return Schedule.newBuilder()
        .setAction(action)
        .setSpec(timing.spec())
        .setPolicy(timing.policy())
        .setState(timing.state(createdBy))
        .build();
  }
}
