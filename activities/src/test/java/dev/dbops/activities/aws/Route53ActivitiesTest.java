package dev.dbops.activities.aws;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.CnameFacts;
import dev.dbops.workflows.common.CnameUpsert;
import dev.dbops.workflows.common.DnsChange;
import dev.dbops.workflows.common.DnsRules;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.Route53Activities;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Route53ActivitiesImpl} with the real Route53 client against the sandbox, in the worker's
 * own account: the read a repoint is judged on, the idempotent UPSERT and the INSYNC check.
 */
class Route53ActivitiesTest {
  static final String RECORD = "db.orders.internal.";
  static final String OLD = "orders.cluster-csbx0000000001.us-east-1.rds.amazonaws.com";
  static final String NEW = "orders-56.cluster-csbx0000000002.us-east-1.rds.amazonaws.com";
  static final ActivityOptions ONE_ATTEMPT =
      ActivityOptions.newBuilder(ActivityStubs.AWS_CALL)
          .setRetryOptions(
              RetryOptions.newBuilder(ActivityStubs.AWS_CALL.getRetryOptions())
                  .setMaximumAttempts(1)
                  .build())
          .build();

  AwsSandbox sandbox;
  AccountClients clients;
  TestActivityEnvironment env;
  Route53Activities route53;
  String zoneId;

  @BeforeEach
  void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    zoneId = sandbox.route53().createPrivateZone("orders.internal.", "vpc-0orders01");
    sandbox.route53().upsertRecord(zoneId, RECORD, "CNAME", 300, OLD);
    sandbox.route53().upsertRecord(zoneId, "web.orders.internal.", "A", 60, "10.0.0.7");
    clients =
        new AccountClients(AwsSettings.sandbox(sandbox.endpoint()), new SimpleMeterRegistry());
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new Route53ActivitiesImpl(clients.route53(null)));
    route53 = env.newActivityStub(Route53Activities.class, ONE_ATTEMPT);
    sandbox.calls().clear();
  }

  @AfterEach
  void stop() {
    env.close();
    clients.close();
    sandbox.close();
  }

  @Test
  void givenAPrivateZoneWithTheCname_whenRead_thenZoneTypeValueAndTtlAndNoProblem() {
    CnameFacts f = route53.readRecord(zoneId, "DB.Orders.Internal");

    assertEquals(new CnameFacts("orders.internal.", true, "CNAME", OLD, 300L), f);
    assertEquals(List.of(), DnsRules.recordProblems("z", zoneId, "r", RECORD, f));
    assertEquals(0, sandbox.calls().count("ChangeResourceRecordSets"));
  }

  @Test
  void givenAnARecordAMissingRecordAndAMissingZone_whenRead_thenEachIsJudgedAProblem() {
    CnameFacts a = route53.readRecord(zoneId, "web.orders.internal.");
    assertEquals("A", a.recordType());
    assertEquals(
        List.of("r: 'web.orders.internal.' is a A record, not a CNAME"),
        DnsRules.recordProblems("z", zoneId, "r", "web.orders.internal.", a));

    CnameFacts none = route53.readRecord(zoneId, "nope.orders.internal.");
    assertNull(none.recordType());
    assertTrue(
        DnsRules.recordProblems("z", zoneId, "r", "nope.orders.internal.", none)
            .get(0)
            .startsWith("r: no record 'nope.orders.internal.' in zone orders.internal."));

    CnameFacts noZone = route53.readRecord("ZSBX99999999999999", RECORD);
    assertNull(noZone.zoneName());
    assertEquals(
        List.of("z: 'ZSBX99999999999999' not found"),
        DnsRules.recordProblems("z", "ZSBX99999999999999", "r", RECORD, noZone));
  }

  @Test
  void givenTheOldValue_whenUpserted_thenPendingThenNotReadyThenInsyncWithTtl0() {
    DnsChange c = route53.upsertCname(new CnameUpsert(zoneId, RECORD, NEW, 0, "dbops test"));

    assertEquals("PENDING", c.status());
    assertEquals(NEW, sandbox.route53().recordValue(zoneId, RECORD, "CNAME").orElseThrow());
    assertEquals(0, sandbox.route53().record(zoneId, RECORD, "CNAME").orElseThrow().ttl());
    ApplicationFailure pending = failureOf(() -> route53.checkChangeInsync(c.changeId()));
    assertEquals(ErrorTypes.NOT_READY, pending.getType());
    assertFalse(pending.isNonRetryable());
    sandbox.clock().advance(Duration.ofMinutes(1));
    assertEquals(
        new DnsChange(c.changeId(), DnsChange.INSYNC), route53.checkChangeInsync(c.changeId()));
  }

  @Test
  void givenTheRecordAlreadyOnTheValueAndTtl_whenUpsertedAgain_thenNoSecondChange() {
    route53.upsertCname(new CnameUpsert(zoneId, RECORD, NEW, 0, "dbops test"));

    DnsChange again =
        route53.upsertCname(new CnameUpsert(zoneId, RECORD, NEW.toUpperCase() + ".", 0, "again"));

    assertTrue(again.insync());
    assertEquals(1, sandbox.calls().count("ChangeResourceRecordSets"));
  }

  @Test
  void givenRoute53RefusesTheBatch_whenUpserted_thenNonRetryableAndTheRecordUnchanged() {
    sandbox.route53().failNextChange(zoneId, "RRSet of type CNAME with DNS name is not permitted");

    ApplicationFailure f =
        failureOf(() -> route53.upsertCname(new CnameUpsert(zoneId, RECORD, NEW, 0, "dbops")));

    assertTrue(f.isNonRetryable(), f.getType());
    assertEquals(ErrorTypes.INVALID_PARAMETER, f.getType());
    assertEquals(OLD, sandbox.route53().recordValue(zoneId, RECORD, "CNAME").orElseThrow());
  }
}
