package dev.dbops.activities.staging;

import static dev.dbops.activities.staging.TwoAccountSandbox.OLD;
import static dev.dbops.activities.staging.TwoAccountSandbox.PREVIOUS_RUN;
import static dev.dbops.activities.staging.TwoAccountSandbox.PROD;
import static dev.dbops.activities.staging.TwoAccountSandbox.RUN;
import static dev.dbops.activities.staging.TwoAccountSandbox.SOURCE;
import static dev.dbops.activities.staging.TwoAccountSandbox.STAGING;
import static dev.dbops.activities.staging.TwoAccountSandbox.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.InstanceClassOffer;
import dev.dbops.workflows.common.OrderableQuery;
import dev.dbops.workflows.staging.DnsTarget;
import dev.dbops.workflows.staging.SourceFacts;
import dev.dbops.workflows.staging.StagingValidator;
import dev.dbops.workflows.staging.TargetFacts;
import dev.dbops.workflows.staging.TargetQuery;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * inspectSource and inspectTarget with the real RDS, KMS, STS and Route53 clients on the sandbox.
 */
class StagingInspectTest {
  TwoAccountSandbox fx;

  @BeforeEach
  void start() {
    fx = TwoAccountSandbox.start();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void givenAClusterOnTheAwsManagedKey_whenInspected_thenDefaultKmsKeyAndItsFacts() {
    SourceFacts s = fx.staging.inspectSource(fx.prod(), SOURCE);

    assertTrue(s.storageEncrypted());
    assertTrue(s.defaultKmsKey(), "aws/rds cannot be shared: the workflow must copy first");
    assertEquals(fx.source.kmsKeyId(), s.kmsKeyId());
    assertEquals(fx.source.arn(), s.arn());
    assertEquals("aurora-mysql", s.engine());
    assertEquals(fx.source.endpoint(), s.endpoint());
    assertEquals("production", s.tags().get("environment"));
    assertEquals(1, fx.calls("DescribeKey"), "only KMS knows who manages a key ARN");
  }

  @Test
  void givenAClusterOnACustomerManagedKey_whenInspected_thenNotTheDefaultKey() {
    fx.sandbox
        .rds()
        .createCluster(ClusterSeed.auroraMysql57("prod-cmk").withKmsKey(fx.customerKey));

    SourceFacts s = fx.staging.inspectSource(fx.prod(), "prod-cmk");

    assertTrue(s.storageEncrypted());
    assertFalse(s.defaultKmsKey());
    assertEquals(fx.customerKey, s.kmsKeyId());
  }

  @Test
  void givenAnUnencryptedCluster_whenInspected_thenNoKeyAndNoKmsCall() {
    fx.sandbox
        .rds()
        .createCluster(ClusterSeed.auroraMysql57("prod-plain").withStorageEncrypted(false));

    SourceFacts s = fx.staging.inspectSource(fx.prod(), "prod-plain");

    assertFalse(s.storageEncrypted());
    assertFalse(s.defaultKmsKey());
    assertEquals(0, fx.calls("DescribeKey"));
  }

  @Test
  void givenNoSuchCluster_whenInspected_thenNonRetryableNotFound() {
    ApplicationFailure f = failureOf(() -> fx.staging.inspectSource(fx.prod(), "prod-missing"));

    assertEquals(ErrorTypes.NOT_FOUND, f.getType());
    assertTrue(f.isNonRetryable());
  }

  @Test
  void
      givenAClassNotOfferedForTheSourceVersion_whenTargetInspected_thenTheTargetAccountSaysSoAndListsOfferedOnes() {
    String version = fx.source.engineVersion();
    TargetFacts t =
        fx.staging.inspectTarget(
            new TargetQuery(
                fx.target(),
                fx.dns(),
                null,
                "staging-new",
                new OrderableQuery("aurora-mysql", version, List.of("db.t2.small"))));

    assertEquals(1, t.instanceClassOffers().size());
    InstanceClassOffer offer = t.instanceClassOffers().get(0);
    assertFalse(offer.offered());
    assertTrue(offer.offeredClasses().contains("db.r5.large"), offer.offeredClasses().toString());
    assertEquals(
        List.of(STAGING, STAGING),
        fx.accountsOf("DescribeOrderableDBInstanceOptions"),
        "asked in the account the instances are created in");
    TargetFacts offered =
        fx.staging.inspectTarget(
            new TargetQuery(
                fx.target(),
                fx.dns(),
                null,
                "staging-new",
                new OrderableQuery("aurora-mysql", version, List.of("db.r6g.large"))));
    assertTrue(offered.instanceClassOffers().get(0).offered());
  }

  @Test
  void
      givenTheCnameOnTheOldCluster_whenTargetInspectedWithoutAnOldId_thenTheClusterBehindTheCnameAndItsTags() {
    TargetFacts t =
        fx.staging.inspectTarget(new TargetQuery(fx.target(), fx.dns(), null, "staging-new"));

    assertEquals("staging.internal.", t.zoneName());
    assertTrue(t.zonePrivate());
    assertEquals("CNAME", t.recordType());
    assertEquals(fx.old.endpoint(), t.currentValue());
    assertEquals(0L, t.currentTtl());
    assertEquals(OLD, t.oldClusterId());
    assertEquals("available", t.oldClusterStatus());
    assertEquals(PREVIOUS_RUN, t.oldClusterTags().get(StagingValidator.OWNER_TAG));
    assertFalse(t.newClusterExists());
    assertNull(t.newClusterOwner());
    assertEquals(
        List.of(STAGING),
        fx.accountsOf("DescribeDBClusters").stream().distinct().toList(),
        "the target is looked at through the assumed role");
  }

  @Test
  void
      givenTheCnameWithAnUpperCaseValueAndNoTrailingDot_whenTargetInspected_thenTheClusterIsStillFound() {
    fx.sandbox
        .route53()
        .upsertRecord(
            fx.zoneId,
            TwoAccountSandbox.RECORD,
            "CNAME",
            60,
            fx.old.endpoint().toUpperCase() + ".");

    TargetFacts t =
        fx.staging.inspectTarget(new TargetQuery(fx.target(), fx.dns(), null, "staging-new"));

    assertEquals(OLD, t.oldClusterId());
    assertEquals(60L, t.currentTtl());
  }

  @Test
  void givenThisRunsClusterAlready_whenTargetInspected_thenItExistsWithItsOwner() {
    fx.sandbox
        .rds()
        .createCluster(
            ClusterSeed.auroraMysql57("staging-new")
                .inAccount(STAGING)
                .withTag(StagingValidator.OWNER_TAG, RUN));

    TargetFacts t =
        fx.staging.inspectTarget(new TargetQuery(fx.target(), fx.dns(), OLD, "staging-new"));

    assertTrue(t.newClusterExists());
    assertEquals(RUN, t.newClusterOwner());
    assertEquals(OLD, t.oldClusterId());
  }

  @Test
  void givenAZoneOfAnotherAccount_whenTargetInspected_thenNoZoneNameAndNoException() {
    String prodZone =
        fx.sandbox.route53().createPrivateZone(PROD, "prod.internal.", "us-east-1", "vpc-0prod01");

    TargetFacts t =
        fx.staging.inspectTarget(
            new TargetQuery(
                fx.target(),
                new DnsTarget(prodZone, "db.prod.internal.", 0L),
                null,
                "staging-new"));

    assertNull(t.zoneName());
    assertNull(t.recordType());
    assertNull(t.currentValue());
    assertNull(t.oldClusterId());
  }

  @Test
  void givenNoRecordYet_whenTargetInspected_thenZoneButNoRecordAndNoOldCluster() {
    TargetFacts t =
        fx.staging.inspectTarget(
            new TargetQuery(
                fx.target(),
                new DnsTarget(fx.zoneId, "reports.staging.internal.", 0L),
                null,
                "staging-new"));

    assertEquals("staging.internal.", t.zoneName());
    assertNull(t.recordType());
    assertNull(t.currentValue());
    assertNull(t.oldClusterId());
  }
}
