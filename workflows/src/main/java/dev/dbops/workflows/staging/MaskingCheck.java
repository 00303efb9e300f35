package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.PlanStep;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * Proves the copy is fit for staging before any DNS change: the masking SQL runs and every
 * verification query returns 0, then (when asked) the schema is compared with the source.
 */
final class MaskingCheck {
  private final StagingActivities script =
      Workflow.newActivityStub(StagingActivities.class, ActivityStubs.DB_SCRIPT);
  private final StagingActivities schema =
      Workflow.newActivityStub(StagingActivities.class, ActivityStubs.DB_CALL);
  private final StagingRun run;
  private final StagingRebuildRequest request;

  MaskingCheck(StagingRun run) {
    this.run = run;
    this.request = run.request;
  }

  void check(ClusterRef cluster) {
    DbLogin master = new DbLogin(run.source.masterUsername(), request.masterPasswordRef());
    mask(cluster, master);
    if (driftChecked()) compareSchema(cluster, master);
  }

  private void mask(ClusterRef cluster, DbLogin master) {
    run.enter(StagingPhase.MASKING, "the masking SQL and its verification on " + run.newEndpoint);
    String sha256 = run.masking.sha256();
    MaskReport report =
        run.maskReport =
            script.mask(
                new MaskRun(run.newEndpoint, cluster.port(), master, request.masking(), sha256));
    run.timeline.add(
        "masked",
        report.statementsRun()
            + " statement(s), rows changed "
            + report.rowsChanged()
            + ", sha256 "
            + report.sha256());
    if (!report.passed()) {
      List<String> unmasked = new ArrayList<>();
      for (VerifyResult v : report.verification()) {
        if (v.value() != 0) unmasked.add(v.query() + " = " + v.value());
      }
      throw ApplicationFailure.newNonRetryableFailure(
          "masking verification failed on "
              + run.names.clusterId()
              + ": "
              + String.join("; ", unmasked)
              + "; the CNAME was not changed",
          ErrorTypes.MASKING_FAILED);
    }
    run.timeline.add(
        "verified", report.verification().size() + " verification query(ies) returned 0");
  }

  private void compareSchema(ClusterRef cluster, DbLogin master) {
    String sourceId = run.source.clusterId();
    run.enter(StagingPhase.CHECKING_DRIFT, "the schema comparison with " + sourceId);
    DriftReport drift =
        run.driftReport =
            schema.checkDrift(
                new DriftCheck(
                    run.source.endpoint(),
                    run.source.port(),
                    request.sourceLogin(),
                    run.newEndpoint,
                    cluster.port(),
                    master,
                    request.driftSchemas()));
    List<String> differences = drift.differences();
    run.timeline.add(
        "drift checked",
        drift.tablesCompared() + " table(s), " + differences.size() + " difference(s)");
    if (differences.isEmpty()) return;
    String summary = String.join("; ", differences.subList(0, Math.min(20, differences.size())));
    if (StagingRebuildRequest.DRIFT_FAIL.equals(request.driftCheckOrDefault())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "schema of "
              + run.names.clusterId()
              + " differs from "
              + sourceId
              + ": "
              + summary
              + "; the CNAME was not changed",
          ErrorTypes.DRIFT_DETECTED);
    }
    run.warnings.add("schema drift: " + summary);
  }

  private boolean driftChecked() {
    return !StagingRebuildRequest.DRIFT_OFF.equals(request.driftCheckOrDefault());
  }

  /** The statements and queries {@link #check} runs, for the plan. */
  List<PlanStep> plan() {
    MaskingScript masking = run.masking;
    List<PlanStep> steps = new ArrayList<>();
    steps.add(
        new PlanStep(
            "mask",
            masking.statements()
                + " statement(s) from "
                + masking.source()
                + " (sha256 "
                + masking.sha256()
                + "); then "
                + masking.verifyQueries()
                + " verification query(ies) that must return 0",
            "failing verification stops the run before any DNS change"));
    if (driftChecked()) {
      steps.add(
          new PlanStep(
              "drift",
              "information_schema TABLES, COLUMNS, STATISTICS of " + request.driftSchemas(),
              request.driftCheckOrDefault()));
    }
    return steps;
  }
}
