package dev.dbops.activities.upgrade;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.upgrade.ModifyOutcome;
import dev.dbops.workflows.upgrade.ModifySpec;
import dev.dbops.workflows.upgrade.UpgradeProgress;
import dev.dbops.workflows.upgrade.UpgradeWatch;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** startUpgrade and checkUpgrade against sandbox upgrades that run on its clock. */
class UpgradeTest {
  private static final String FROM = "5.6.10a";
  private static final String TARGET = "5.7.mysql_aurora.2.11.2";
  private static final Duration UPGRADE_TAKES = Duration.ofSeconds(100);
  private static final ModifySpec SPEC =
      new ModifySpec("orders", TARGET, "orders-57", "orders-57-inst");
  private static final String PRE_CHECKS = "Performing online pre-upgrade checks";
  private static final String PURGING = "Purging undo records for old row versions";

  private RdsFixture fx;
  private long since;

  @BeforeEach
  void start() {
    fx =
        RdsFixture.start(
            SandboxConfig.defaults()
                .withRdsTimings(RdsTimings.defaults().withClusterUpgrade(UPGRADE_TAKES)));
    fx.sandbox.rds().createCluster(ClusterSeed.aurora56("orders"));
    fx.sandbox.rds().createClusterParameterGroup("orders-57", "aurora-mysql5.7");
    fx.sandbox.rds().createDbParameterGroup("orders-57-inst", "aurora-mysql5.7");
    since = fx.sandbox.clock().millis();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private UpgradeWatch watch(String lastReportedPhase) {
    return new UpgradeWatch("orders", TARGET, FROM, since, lastReportedPhase, 0);
  }

  /** Moves the sandbox clock to {@code fraction} of the upgrade (from its start). */
  private void at(double fraction) {
    long target = since + (long) (UPGRADE_TAKES.toMillis() * fraction);
    fx.sandbox.clock().advance(Duration.ofMillis(target - fx.sandbox.clock().millis()));
  }

  @Test
  void givenAnAvailableCluster_whenStartedTwice_thenOneModifyAndTheSecondSeesItUpgrading() {
    ModifyOutcome first = fx.rds.startUpgrade(SPEC);
    ModifyOutcome second = fx.rds.startUpgrade(SPEC);

    assertEquals(new ModifyOutcome(ModifyOutcome.STARTED, "upgrading", FROM), first);
    assertEquals(new ModifyOutcome(ModifyOutcome.ALREADY_UPGRADING, "upgrading", FROM), second);
    assertEquals(1, fx.calls("ModifyDBCluster"));
    assertEquals(2, fx.calls("DescribeDBClusters"), "each start looks first");
  }

  @Test
  void givenAFinishedUpgrade_whenStartedAgain_thenAlreadyAtTargetAndNoModify() {
    fx.rds.startUpgrade(SPEC);
    at(1.01);

    ModifyOutcome again = fx.rds.startUpgrade(SPEC);

    assertEquals(new ModifyOutcome(ModifyOutcome.ALREADY_AT_TARGET, "available", TARGET), again);
    assertEquals(1, fx.calls("ModifyDBCluster"));
    assertEquals("orders-57", fx.sandbox.rds().cluster("orders").clusterParameterGroup());
  }

  @Test
  void givenAnUpgrade_whenChecked_thenEachNewPhaseOnceNotReadyBetweenAndDoneOnTheTarget() {
    fx.rds.startUpgrade(SPEC);

    UpgradeProgress preChecks = fx.rds.checkUpgrade(watch(null));
    ApplicationFailure samePhase = failureOf(() -> fx.rds.checkUpgrade(watch(PRE_CHECKS)));
    at(0.31);
    UpgradeProgress purging = fx.rds.checkUpgrade(watch(PRE_CHECKS));
    at(0.55);
    ApplicationFailure stillPurging = failureOf(() -> fx.rds.checkUpgrade(watch(PURGING)));
    at(1.01);
    UpgradeProgress done = fx.rds.checkUpgrade(watch(PURGING));

    assertEquals(UpgradeProgress.UPGRADING, preChecks.state());
    assertEquals(PRE_CHECKS, preChecks.phase());
    assertEquals(-1, preChecks.recordsRemaining());
    assertEquals("upgrading", preChecks.clusterStatus());

    assertEquals(ErrorTypes.NOT_READY, samePhase.getType());
    assertFalse(samePhase.isNonRetryable());
    assertEquals("upgrading: " + PRE_CHECKS, samePhase.getOriginalMessage());

    assertEquals(UpgradeProgress.UPGRADING, purging.state());
    assertEquals(PURGING, purging.phase());
    assertEquals(2_187_643, purging.recordsRemaining());

    assertEquals(ErrorTypes.NOT_READY, stillPurging.getType());
    assertTrue(
        stillPurging
            .getOriginalMessage()
            .startsWith("upgrading: " + PURGING + ", records remaining "),
        stillPurging.getOriginalMessage());
    long remaining =
        Long.parseLong(stillPurging.getOriginalMessage().replaceAll(".*records remaining ", ""));
    assertTrue(remaining < 2_187_643 && remaining > 0, "counting down: " + remaining);

    assertEquals(UpgradeProgress.DONE, done.state());
    assertEquals("available", done.clusterStatus());
    assertEquals(TARGET, done.engineVersion());
    assertTrue(
        done.lastEvent().endsWith("Database cluster major version has been upgraded"),
        done.lastEvent());
    assertEquals(5, fx.calls("DescribeEvents"), "one DescribeEvents per check");
    assertEquals(
        5,
        fx.calls("DescribeDBClusters") - 1,
        "one DescribeDBClusters per check, after start's look");
    assertEquals(1, fx.changes("upgrade_done"));
  }

  @Test
  void givenANewPhaseBeforeTheReportInstant_whenChecked_thenNotReadyUntilTheClockPassesIt() {
    fx.rds.startUpgrade(SPEC);
    at(0.31);
    long reportAfter = fx.sandbox.clock().millis() + 10_000;
    UpgradeWatch w = new UpgradeWatch("orders", TARGET, FROM, since, PRE_CHECKS, reportAfter);

    ApplicationFailure held = failureOf(() -> fx.rds.checkUpgrade(w));
    fx.sandbox.clock().advance(Duration.ofSeconds(10));
    UpgradeProgress reported = fx.rds.checkUpgrade(w);

    assertEquals(ErrorTypes.NOT_READY, held.getType());
    assertTrue(
        held.getOriginalMessage().startsWith("upgrading: " + PURGING), held.getOriginalMessage());
    assertEquals(UpgradeProgress.UPGRADING, reported.state());
    assertEquals(PURGING, reported.phase());
  }

  @Test
  void givenADoneUpgrade_whenCheckedBeforeTheReportInstant_thenDoneAtOnce() {
    fx.rds.startUpgrade(SPEC);
    at(1.01);
    UpgradeWatch w = new UpgradeWatch("orders", TARGET, FROM, since, PRE_CHECKS, Long.MAX_VALUE);

    assertEquals(UpgradeProgress.DONE, fx.rds.checkUpgrade(w).state());
  }

  @Test
  void givenAnUpgradeThatFails_whenChecked_thenFailedOnTheOldVersionWithTheReason() {
    fx.sandbox.rds().failNextUpgrade("orders", "Reason: the cluster has prepared XA transactions");
    fx.rds.startUpgrade(SPEC);
    UpgradeProgress preChecks = fx.rds.checkUpgrade(watch(null));
    at(0.21);

    UpgradeProgress failed = fx.rds.checkUpgrade(watch(preChecks.phase()));

    assertEquals(UpgradeProgress.FAILED, failed.state());
    assertEquals("available", failed.clusterStatus());
    assertEquals(FROM, failed.engineVersion());
    assertTrue(
        failed
            .lastEvent()
            .contains("cannot be upgraded: Reason: the cluster has prepared XA transactions"),
        failed.lastEvent());
    assertEquals(1, fx.changes("upgrade_failed"));
  }

  @Test
  void givenAPhaseOlderThanAnHour_whenChecked_thenStillSeenBecauseEventsAreReadFromTheStart() {
    fx.sandbox.rds().stallUpgrade("orders", Duration.ofHours(20)); // clone at 4 h, purge from 6 h
    fx.rds.startUpgrade(SPEC);
    fx.sandbox.clock().advance(Duration.ofMinutes(330));

    UpgradeProgress p = fx.rds.checkUpgrade(watch(PRE_CHECKS));

    assertEquals(UpgradeProgress.UPGRADING, p.state());
    assertEquals(
        "Cloning volume",
        p.phase(),
        "the last event is 90 minutes old: outside DescribeEvents' default hour");
  }

  @Test
  void givenAStalledPurge_whenCheckedRepeatedly_thenNotReadyWithTheSameRecordsRemaining() {
    fx.sandbox.rds().stallUpgrade("orders", Duration.ofHours(3));
    fx.rds.startUpgrade(SPEC);
    fx.sandbox.clock().advance(Duration.ofMinutes(100));
    ApplicationFailure a = failureOf(() -> fx.rds.checkUpgrade(watch(PURGING)));
    fx.sandbox.clock().advance(Duration.ofMinutes(30));
    ApplicationFailure b = failureOf(() -> fx.rds.checkUpgrade(watch(PURGING)));

    assertEquals("upgrading: " + PURGING + ", records remaining 1843297", a.getOriginalMessage());
    assertEquals(a.getOriginalMessage(), b.getOriginalMessage());
  }
}
