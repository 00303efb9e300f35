package dev.dbops.activities.staging;

import static dev.dbops.activities.staging.TwoAccountSandbox.RECORD;
import static dev.dbops.activities.staging.TwoAccountSandbox.RUN;
import static dev.dbops.activities.staging.TwoAccountSandbox.STAGING;
import static dev.dbops.activities.staging.TwoAccountSandbox.assertNotReady;
import static dev.dbops.activities.staging.TwoAccountSandbox.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.Route53Sandbox;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.staging.ChangeRef;
import dev.dbops.workflows.staging.CnameChange;
import dev.dbops.workflows.staging.DnsTarget;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CNAME cutover with the real Route53 client through the assumed role, on the sandbox clock.
 */
class StagingDnsTest {
  static final String NEW_ENDPOINT =
      "staging-20261122-0900.cluster-csbx0000000001.us-east-1.rds.amazonaws.com";

  TwoAccountSandbox fx;

  @BeforeEach
  void start() {
    fx = TwoAccountSandbox.start();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  CnameChange change(String value, long ttl) {
    return new CnameChange(fx.target(), fx.dns(), value, ttl, "dbops " + RUN);
  }

  Route53Sandbox.RecordView record() {
    return fx.sandbox.route53().record(fx.zoneId, RECORD, "CNAME").orElseThrow();
  }

  @Test
  void givenTheOldValue_whenUpserted_thenPendingThenNotReadyThenInsync() {
    ChangeRef c = fx.staging.upsertCname(change(NEW_ENDPOINT, 0));

    assertEquals("PENDING", c.status());
    assertEquals(NEW_ENDPOINT, record().value());
    assertEquals(0, record().ttl());
    assertNotReady("PENDING", () -> fx.staging.checkChangeInsync(fx.target(), c.changeId()));
    fx.advance(Duration.ofSeconds(5));
    assertEquals(
        new ChangeRef(c.changeId(), "INSYNC"),
        fx.staging.checkChangeInsync(fx.target(), c.changeId()));
    assertEquals(List.of(STAGING), fx.accountsOf("ChangeResourceRecordSets"));
  }

  @Test
  void givenTheRecordAlreadyOnTheValueAndTtl_whenUpsertedAgain_thenNoSecondChangeAndInsync() {
    fx.staging.upsertCname(change(NEW_ENDPOINT, 0));

    ChangeRef again = fx.staging.upsertCname(change(NEW_ENDPOINT.toUpperCase() + ".", 0));

    assertEquals("INSYNC", again.status());
    assertEquals(1, fx.calls("ChangeResourceRecordSets"));
  }

  @Test
  void givenTheSameValueWithAnotherTtl_whenUpserted_thenAChangeIsSent() {
    fx.staging.upsertCname(change(NEW_ENDPOINT, 0));

    ChangeRef c = fx.staging.upsertCname(change(NEW_ENDPOINT, 60));

    assertEquals("PENDING", c.status());
    assertEquals(2, fx.calls("ChangeResourceRecordSets"));
    assertEquals(60, record().ttl());
  }

  @Test
  void
      givenRoute53RefusesTheChangeBatch_whenUpserted_thenNonRetryableInvalidParameterAndTheRecordUnchanged() {
    String before = record().value();
    fx.sandbox
        .route53()
        .failNextChange(fx.zoneId, "Tried to create resource record set but it already exists");

    ApplicationFailure f = failureOf(() -> fx.staging.upsertCname(change(NEW_ENDPOINT, 0)));

    assertTrue(f.isNonRetryable(), f.getType());
    assertEquals(ErrorTypes.INVALID_PARAMETER, f.getType());
    assertEquals(before, record().value());
  }

  @Test
  void givenAnUnknownChangeId_whenChecked_thenNonRetryableNotFound() {
    ApplicationFailure f =
        failureOf(() -> fx.staging.checkChangeInsync(fx.target(), "CSBXNOSUCHCHANGE"));

    assertEquals(ErrorTypes.NOT_FOUND, f.getType());
    assertTrue(f.isNonRetryable());
  }

  @Test
  void givenTheZoneIdWithItsPrefix_whenUpserted_thenTheSameZoneIsChanged() {
    ChangeRef c =
        fx.staging.upsertCname(
            new CnameChange(
                fx.target(),
                new DnsTarget("/hostedzone/" + fx.zoneId, "DB.Staging.Internal", 0L),
                NEW_ENDPOINT,
                0,
                "dbops " + RUN));

    assertEquals("PENDING", c.status());
    assertEquals(NEW_ENDPOINT, record().value());
  }
}
