package dev.dbops.workflows.migration;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.common.WorkflowClock;
import dev.dbops.workflows.staging.ChangeRef;
import dev.dbops.workflows.staging.CnameChange;
import dev.dbops.workflows.staging.ResourceRecord;
import dev.dbops.workflows.staging.StagingActivities;
import dev.dbops.workflows.staging.TargetFacts;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * The CNAME a migration switches: UPSERT and wait INSYNC (Route53 through the staging adapter, its
 * one home), the value it held before kept for {@link #revert}.
 */
final class CnameSwitch {
  /** Route53 is INSYNC within about a minute: polled at this pace. */
  static final Duration INSYNC_POLL = Duration.ofSeconds(10);

  private final StagingActivities route53 =
      Workflow.newLocalActivityStub(StagingActivities.class, ActivityStubs.LOCAL_CALL);
  private final MigrationRequest req;
  private final TargetFacts before;
  private final ProcedureRun<MigrationPhase> run;
  private final List<ResourceRecord> resources;
  private String current;

  CnameSwitch(
      MigrationRequest req,
      TargetFacts before,
      ProcedureRun<MigrationPhase> run,
      List<ResourceRecord> resources) {
    this.req = req;
    this.before = before;
    this.run = run;
    this.resources = resources;
    this.current = before.currentValue();
  }

  String previous() {
    return before.currentValue();
  }

  String current() {
    return current;
  }

  /** UPSERT to {@code value} with the request's TTL; returns once Route53 says INSYNC. */
  void switchTo(String value) {
    upsert(value, req.dns().ttlOrDefault(), "dbops " + Workflow.getInfo().getWorkflowId());
    record("CHANGED", previous() + " -> " + value);
    run.note("CNAME switched", name() + " -> " + value + " (TTL " + req.dns().ttlOrDefault() + ")");
  }

  /**
   * Puts the previous value and TTL back. Detached (runs while the run is being cancelled too) and
   * never throws: a revert that fails is a warning naming what to do by hand.
   */
  void revert(String why) {
    long ttl = before.currentTtl() == null ? req.dns().ttlOrDefault() : before.currentTtl();
    Workflow.newDetachedCancellationScope(
            () -> {
              try {
                upsert(previous(), ttl, "dbops revert " + Workflow.getInfo().getWorkflowId());
                record("REVERTED", why);
                run.note("CNAME reverted", name() + " -> " + previous() + "; " + why);
              } catch (ActivityFailure f) {
                String m = ProcedureRun.message(f);
                run.warn(
                    "the CNAME "
                        + name()
                        + " could not be put back to "
                        + previous()
                        + " ("
                        + m
                        + "); put it back by hand");
                run.note("CNAME revert failed", m);
              }
            })
        .run();
  }

  private void upsert(String value, long ttl, String comment) {
    ChangeRef c =
        route53.upsertCname(new CnameChange(req.accountOrWorker(), req.dns(), value, ttl, comment));
    if (!"none".equals(c.changeId()))
      Workflow.newActivityStub(
              StagingActivities.class,
              ActivityStubs.pollEvery(INSYNC_POLL, req.dnsMaxWaitOrDefault()))
          .checkChangeInsync(req.accountOrWorker(), c.changeId());
    current = value;
  }

  private String name() {
    return req.dns().normalizedName();
  }

  private void record(String action, String detail) {
    resources.add(new ResourceRecord("CNAME", null, name(), action, WorkflowClock.now(), detail));
  }
}
