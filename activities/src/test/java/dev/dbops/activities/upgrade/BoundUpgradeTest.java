package dev.dbops.activities.upgrade;

import static dev.dbops.activities.SandboxFixture.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.upgrade.ClusterFacts;
import dev.dbops.workflows.upgrade.DbEndpoint;
import dev.dbops.workflows.upgrade.ModifySpec;
import dev.dbops.workflows.upgrade.UpgradeProgress;
import dev.dbops.workflows.upgrade.UpgradeWatch;
import dev.dbops.workflows.upgrade.VerifySpec;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The activities in the order the workflow runs them, against a sandbox cluster bound to a real
 * MariaDB: the endpoint RDS reports is the server the SQL checks reach, and the upgrade restarts
 * it.
 */
@Tag("mariadb")
class BoundUpgradeTest {
  private static final String TARGET = "5.7.mysql_aurora.2.11.2";
  private static final Duration UPGRADE_TAKES = Duration.ofSeconds(60);
  private RdsFixture aws;
  private MariaDbFixture mysql;

  @BeforeEach
  void start() {
    aws =
        RdsFixture.start(
            SandboxConfig.defaults()
                .withRdsTimings(RdsTimings.defaults().withClusterUpgrade(UPGRADE_TAKES)));
    mysql = MariaDbFixture.start("5.6.10");
    aws.sandbox.rds().createCluster(ClusterSeed.aurora56("orders"));
    aws.sandbox.rds().bind("orders", mysql.db);
  }

  @AfterEach
  void stop() {
    aws.close();
    mysql.close();
  }

  @Test
  void givenABoundCluster_whenUpgraded_thenPrecheckedOn56AndVerifiedOn57AtTheEndpointRdsReports() {
    ClusterFacts facts = aws.rds.inspectCluster("orders", List.of());
    DbEndpoint writer = new DbEndpoint(facts.endpoint(), facts.port(), mysql.login());
    assertEquals("5.6.10", mysql.checks.precheck(writer).version());

    long since = aws.sandbox.clock().millis();
    aws.rds.startUpgrade(new ModifySpec("orders", TARGET, null, null));
    aws.sandbox.clock().advance(UPGRADE_TAKES.plusSeconds(1));
    UpgradeProgress done =
        aws.rds.checkUpgrade(new UpgradeWatch("orders", TARGET, "5.6.10a", since, null, 0));
    VerifySpec verify =
        new VerifySpec(writer.host(), writer.port(), mysql.login(), "5.7", List.of("SELECT 1"));

    assertEquals(UpgradeProgress.DONE, done.state());
    assertEquals("5.7.12", mysql.checks.verify(verify).version());
  }

  @Test
  void givenAnUpgradeThatFails_whenCheckedAndVerified_thenFailedAndTheServerStillSays56() {
    aws.sandbox.rds().failNextUpgrade("orders", "Reason: prepared XA transactions");
    long since = aws.sandbox.clock().millis();
    aws.rds.startUpgrade(new ModifySpec("orders", TARGET, null, null));
    aws.sandbox.clock().advance(UPGRADE_TAKES);

    UpgradeProgress failed =
        aws.rds.checkUpgrade(new UpgradeWatch("orders", TARGET, "5.6.10a", since, null, 0));
    ApplicationFailure f = failureOf(() -> mysql.checks.verify(mysql.verify("5.7")));

    assertEquals(UpgradeProgress.FAILED, failed.state());
    assertEquals(ErrorTypes.VERIFY_FAILED, f.getType());
    assertTrue(f.getOriginalMessage().contains("reports VERSION() 5.6.10"), f.getOriginalMessage());
  }
}
