package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.ProcedureRun;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;

/**
 * Repoints the staging CNAME at the new cluster: UPSERT, wait INSYNC, with the cut-over hooks
 * around it. Until that is done a failure puts the previous value back (the saga's revert) before
 * it is reported; once it is done the new cluster is live staging.
 */
final class DnsCutOver {
  private final StagingRun run;
  private final StagingSaga saga;
  private final DnsTarget dns;

  DnsCutOver(StagingRun run, StagingSaga saga) {
    this.run = run;
    this.saga = saga;
    this.dns = run.request.dns();
  }

  void cutOver() {
    run.procedure.step(StagingSteps.CUTOVER, this::repoint);
  }

  private void repoint() {
    String endpoint = run.newEndpoint;
    String previous = run.target.currentValue();
    run.procedure.waitFor("Route53 to apply " + dns.normalizedName() + " -> " + endpoint);
    try {
      saga.addUntilCutOver(
          this::revert, "CNAME " + dns.normalizedName() + " could not be reverted to " + previous);
      ChangeRef change =
          run.aws.upsertCname(
              new CnameChange(
                  run.request.restoreAccount(),
                  dns,
                  endpoint,
                  dns.ttlOrDefault(),
                  "dbops " + run.workflowId));
      run.record(
          "CNAME",
          run.targetAccount(),
          dns.normalizedName(),
          "CHANGED",
          previous + " -> " + endpoint + " (change " + change.changeId() + ")");
      if (!"INSYNC".equals(change.status())) {
        run.dnsPoller().checkChangeInsync(run.request.restoreAccount(), change.changeId());
      }
      run.procedure.note(
          "cut over",
          dns.normalizedName()
              + " -> "
              + endpoint
              + " TTL "
              + dns.ttlOrDefault()
              + " (was "
              + previous
              + ")");
      saga.cutOverDone();
    } catch (ActivityFailure f) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the CNAME change of "
              + dns.normalizedName()
              + " to "
              + endpoint
              + " failed ("
              + ProcedureRun.message(f)
              + ")",
          ErrorTypes.DNS_CHANGE_FAILED);
    }
  }

  /** UPSERT of the value (and TTL) the record had before the run. */
  private String revert() {
    TargetFacts target = run.target;
    ChangeRef back =
        run.aws.upsertCname(
            new CnameChange(
                run.request.restoreAccount(),
                dns,
                target.currentValue(),
                target.currentTtl() == null ? dns.ttlOrDefault() : target.currentTtl(),
                "dbops revert " + run.workflowId));
    if (!"INSYNC".equals(back.status()))
      run.dnsPoller().checkChangeInsync(run.request.restoreAccount(), back.changeId());
    run.record(
        "CNAME",
        run.targetAccount(),
        dns.normalizedName(),
        "REVERTED",
        "back to " + target.currentValue());
    return "CNAME reverted to " + target.currentValue();
  }
}
