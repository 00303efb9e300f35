package dev.dbops.workflows.common;

import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One private zone holding one record, as {@link Route53Activities} sees it, on the test server's
 * clock: a change is PENDING for {@link #propagation}, then INSYNC. Every UPSERT is kept.
 */
public final class FakeRoute53 implements Route53Activities {
  public static final String ZONE_ID = "Z0ROLLBACK0001";
  public static final String ZONE = "orders.internal.";
  public static final String RECORD = "db.orders.internal.";
  public static final String OLD_VALUE = "orders.cluster-x.us-east-1.rds.amazonaws.com";

  private final TestWorkflowEnvironment env;
  public final List<CnameUpsert> upserts = new CopyOnWriteArrayList<>();
  public volatile String recordType = "CNAME";
  public volatile String value = OLD_VALUE;
  public volatile long ttl = 0;

  /** How long a change stays PENDING; null: it never becomes INSYNC. */
  public volatile Duration propagation = Duration.ofSeconds(30);

  /** Non-null: every UPSERT fails with this non-retryable type. */
  public volatile String failUpsertWith;

  private volatile long changedAt;

  public FakeRoute53(TestWorkflowEnvironment env) {
    this.env = env;
  }

  @Override
  public CnameFacts readRecord(String hostedZoneId, String recordName) {
    if (!ZONE_ID.equals(hostedZoneId)) return new CnameFacts(null, false, null, null, null);
    if (!RECORD.equals(DnsRules.absolute(recordName)) || recordType == null) {
      return new CnameFacts(ZONE, true, null, null, null);
    }
    return new CnameFacts(ZONE, true, recordType, value, ttl);
  }

  @Override
  public synchronized DnsChange upsertCname(CnameUpsert c) {
    if (failUpsertWith != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "ChangeResourceRecordSets refused: " + failUpsertWith, failUpsertWith);
    }
    if (c.value().equals(value) && c.ttl() == ttl) return new DnsChange("none", DnsChange.INSYNC);
    upserts.add(c);
    value = c.value();
    ttl = c.ttl();
    changedAt = env.currentTimeMillis();
    return new DnsChange("C" + upserts.size(), "PENDING");
  }

  @Override
  public DnsChange checkChangeInsync(String changeId) {
    if (propagation == null || env.currentTimeMillis() - changedAt < propagation.toMillis()) {
      throw ErrorTypes.notReady("change " + changeId + " is PENDING");
    }
    return new DnsChange(changeId, DnsChange.INSYNC);
  }
}
