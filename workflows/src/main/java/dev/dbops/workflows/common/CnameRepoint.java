package dev.dbops.workflows.common;

import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * Workflow side of repointing a private CNAME in the worker's own account, for any procedure that
 * moves a name to a new cluster: read and judge the zone and record before the first change ({@link
 * DnsRules}), then UPSERT and wait until Route53 reports INSYNC. The read and the UPSERT are local
 * activities (one marker each); the INSYNC wait is one activity whose retries are the poll loop, so
 * the history stays flat however long Route53 takes. Create it in workflow code (a field).
 */
public final class CnameRepoint {
  /** Route53 propagates in well under a minute: check every 10 s. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(10);

  /** Give up on INSYNC after this long. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(30);

  private final Route53Activities route53 =
      Workflow.newLocalActivityStub(Route53Activities.class, ActivityStubs.LOCAL_CALL);

  /**
   * GetHostedZone and ListResourceRecordSets, judged: a missing or public zone, a record outside
   * the zone, a missing record or one that is not a CNAME fails the run as INVALID_INPUT naming the
   * field, before anything was changed.
   */
  public CnameFacts read(String zoneField, String zoneId, String nameField, String recordName) {
    CnameFacts facts;
    try {
      facts = route53.readRecord(zoneId, recordName);
    } catch (ActivityFailure f) {
      throw ApplicationFailure.newNonRetryableFailure(
          zoneField + ": " + message(f), ErrorTypes.INVALID_INPUT);
    }
    List<String> problems =
        DnsRules.recordProblems(zoneField, zoneId, nameField, recordName, facts);
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          String.join("; ", problems) + " (nothing was created)", ErrorTypes.INVALID_INPUT);
    }
    return facts;
  }

  /**
   * UPSERT {@code recordName} CNAME {@code value} with {@code ttl}, then wait INSYNC. Any failure
   * is a non-retryable DNS_CHANGE_FAILED naming the record and what it pointed at before ({@code
   * previous}), so a person can point it back.
   */
  public DnsChange repoint(
      String zoneId, String recordName, String value, long ttl, String previous) {
    String name = DnsRules.absolute(recordName);
    try {
      DnsChange change =
          route53.upsertCname(
              new CnameUpsert(
                  zoneId, name, value, ttl, "dbops " + Workflow.getInfo().getWorkflowId()));
      if (!change.insync()) {
        Workflow.newActivityStub(
                Route53Activities.class, ActivityStubs.pollEvery(CHECK_EVERY, MAX_WAIT))
            .checkChangeInsync(change.changeId());
      }
      return change;
    } catch (ActivityFailure f) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the CNAME change of "
              + name
              + " to "
              + value
              + " failed ("
              + message(f)
              + "); it pointed at "
              + previous
              + " before the run",
          ErrorTypes.DNS_CHANGE_FAILED);
    }
  }

  private static String message(ActivityFailure f) {
    if (f.getRetryState() == RetryState.RETRY_STATE_TIMEOUT) {
      return "not INSYNC within " + MAX_WAIT + ": " + cause(f);
    }
    return cause(f);
  }

  private static String cause(ActivityFailure f) {
    Throwable c = f.getCause();
    while (c != null && c.getCause() != null && !(c instanceof ApplicationFailure))
      c = c.getCause();
    if (c instanceof ApplicationFailure af) return af.getOriginalMessage();
    return c == null ? f.getMessage() : "gave up waiting: " + c.getMessage();
  }
}
