package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.staging.StagingPhase.Phase;
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
  private final ProcedureRun<Phase> procedure;
  private final StagingRebuildRequest request;

  MaskingCheck(StagingRun run) {
    this.run = run;
    this.procedure = run.procedure;
    this.request = run.request;
  }

  void check(ClusterRef cluster, Inspected facts) {
    DbLogin master = new DbLogin(run.source.masterUsername(), request.masterPasswordRef());
    procedure.waitFor("the masking SQL and its verification on " + run.newEndpoint);
    procedure.step(StagingSteps.MASK, () -> mask(cluster, master));
    if (StagingSteps.DRIFT.appliesTo(facts)) {
      procedure.waitFor("the schema comparison with " + run.source.clusterId());
      procedure.step(StagingSteps.DRIFT, () -> compareSchema(cluster, master));
    }
  }

  private void mask(ClusterRef cluster, DbLogin master) {
    String sha256 = run.masking.sha256();
    MaskReport report =
        run.maskReport =
            script.mask(
                new MaskRun(run.newEndpoint, cluster.port(), master, request.masking(), sha256));
    procedure.note(
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
    procedure.note(
        "verified", report.verification().size() + " verification query(ies) returned 0");
  }

  private void compareSchema(ClusterRef cluster, DbLogin master) {
    String sourceId = run.source.clusterId();
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
    procedure.note(
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
    procedure.warn("schema drift: " + summary);
  }
}
