package dev.dbops.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.network.ServerException;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure rules: grants, formats, retention, coordinates, RDS recovery events, IO errors. */
class SourceRulesTest {
  @Test
  void givenGrantLinesOfMySqlAndMariaDb_whenJudged_thenOnlyReplicationSlaveOnStarStarIsNeeded() {
    assertEquals(
        List.of(),
        SourceRules.missingPrivileges(
            List.of(
                "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `repl`@`%` IDENTIFIED BY PASSWORD '*8A9'")));
    assertEquals(
        List.of(),
        SourceRules.missingPrivileges(List.of("GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'")),
        "REPLICATION CLIENT is not needed");
    assertEquals(
        List.of(),
        SourceRules.missingPrivileges(List.of("GRANT REPLICATION REPLICA ON *.* TO `repl`@`%`")));
    assertEquals(
        List.of(),
        SourceRules.missingPrivileges(List.of("GRANT ALL PRIVILEGES ON *.* TO 'root'@'%'")));
    assertEquals(
        List.of(),
        SourceRules.missingPrivileges(
            List.of(
                "GRANT SELECT (`id`, `note`), UPDATE ON `app`.`t` TO `repl`@`%`",
                "grant select,  replication   slave ON *.* TO `repl`@`%` WITH GRANT OPTION")));
    assertEquals(
        List.of("REPLICATION SLAVE"),
        SourceRules.missingPrivileges(List.of("GRANT REPLICATION CLIENT ON *.* TO 'repl'@'%'")),
        "CLIENT alone cannot replicate");
    assertEquals(
        List.of("REPLICATION SLAVE"),
        SourceRules.missingPrivileges(List.of("GRANT ALL PRIVILEGES ON `app`.* TO 'repl'@'%'")),
        "a schema's ALL is not global");
    assertEquals(
        List.of("REPLICATION SLAVE"),
        SourceRules.missingPrivileges(
            List.of(
                "GRANT PROXY ON ''@'%' TO 'repl'@'%'", "GRANT `replication_role` TO `repl`@`%`")));
    assertEquals(
        List.of("REPLICATION SLAVE"),
        SourceRules.missingPrivileges(List.of("GRANT USAGE ON *.* TO `plain`@`%`")));
  }

  @Test
  void givenRoleGrantsOfMariaDbAndMySql_whenRead_thenTheRolesNamed() {
    assertEquals(
        List.of(new SourceRules.Role("repl_role", null)),
        SourceRules.grantedRoles(
            List.of(
                "GRANT USAGE ON *.* TO `repl`@`%`",
                "GRANT `repl_role` TO `repl`@`%`", "SET DEFAULT ROLE `repl_role` FOR `repl`@`%`")));
    assertEquals(
        List.of(new SourceRules.Role("r1", "%"), new SourceRules.Role("r,2", "localhost")),
        SourceRules.grantedRoles(List.of("GRANT `r1`@`%`,`r,2`@`localhost` TO `repl`@`%`")));
    assertEquals(
        List.of(), SourceRules.grantedRoles(List.of("GRANT SELECT ON `app`.* TO `repl`@`%`")));
  }

  @Test
  void givenRecordedVersionStrings_whenBounded_thenAurora211AndLaterTake2160AndTheRest168() {
    // VERSION() / aurora_version as each engine answers them
    assertEquals(2160, SourceRules.retentionLimit("8.0.28", "3.04.0").maxHours());
    assertEquals(2160, SourceRules.retentionLimit("8.0.39", "3.08.2").maxHours());
    assertEquals(2160, SourceRules.retentionLimit("5.7.12", "2.11.2").maxHours());
    assertEquals(2160, SourceRules.retentionLimit("5.7.12", "2.12.0").maxHours());
    assertEquals(168, SourceRules.retentionLimit("5.7.12", "2.10.3").maxHours());
    assertEquals(168, SourceRules.retentionLimit("5.7.12", "2.07.2").maxHours());
    assertEquals(168, SourceRules.retentionLimit("5.6.10", "1.22.2").maxHours());
    assertEquals(168, SourceRules.retentionLimit("8.0.35", null).maxHours(), "RDS for MySQL");
    assertEquals(168, SourceRules.retentionLimit("5.7.44-log", "").maxHours());
    assertEquals(168, SourceRules.retentionLimit("10.11.6-MariaDB-log", null).maxHours());
    assertTrue(
        SourceRules.retentionLimit("8.0.28", "3.04.0").engine().contains("Aurora MySQL 3.04.0"));
  }

  @Test
  void givenFormatsAndRetentionValues_whenJudged_thenStatementIsAProblemAndNullIsUnset() {
    assertNull(SourceRules.formatProblem("ROW"));
    assertNull(SourceRules.formatProblem("mixed"));
    assertTrue(SourceRules.formatProblem("STATEMENT").contains("MIXED or ROW"));
    assertNull(SourceRules.retentionHours(null));
    assertNull(SourceRules.retentionHours("NULL"));
    assertEquals(168, SourceRules.retentionHours(" 168 "));
  }

  @Test
  void givenBinlogCoordinates_whenCompared_thenByFileNumberThenPosition() {
    BinlogPosition a = new BinlogPosition("mysql-bin-changelog.000009", 900);
    BinlogPosition b = new BinlogPosition("mysql-bin-changelog.000010", 4);

    assertTrue(Coordinates.compare(a, b) < 0);
    assertTrue(Coordinates.atOrPast(b, a));
    assertTrue(Coordinates.atOrPast(a, new BinlogPosition("mysql-bin-changelog.000009", 900)));
    assertTrue(Coordinates.compare(new BinlogPosition("mysql-bin-changelog.000009", 899), a) < 0);
  }

  @Test
  void givenRdsEvents_whenRead_thenTheLatestCrashRecoveryPosition() {
    Optional<BinlogPosition> p =
        RecoveryEvents.latest(
            List.of(
                new RecoveryEvents.Entry(
                    Instant.parse("2026-01-01T00:00:00Z"),
                    "Binlog position from crash recovery is mysql-bin-changelog.000117 4"),
                new RecoveryEvents.Entry(
                    Instant.parse("2026-01-02T00:00:00Z"),
                    "Binlog position from crash recovery is mysql-bin-changelog.000118 245880"),
                new RecoveryEvents.Entry(
                    Instant.parse("2026-01-03T00:00:00Z"), "DB cluster created")));

    assertEquals(Optional.of(new BinlogPosition("mysql-bin-changelog.000118", 245880)), p);
    assertEquals(
        Optional.empty(),
        RecoveryEvents.latest(List.of(new RecoveryEvents.Entry(null, "DB cluster created"))));
  }

  @Test
  void givenIoErrors_whenJudged_thenPurgedBinlogAndAStoppedThreadAreFatal() {
    assertTrue(ReplicaErrors.ioFatal(1236, "No"));
    assertTrue(ReplicaErrors.ioFatal(13114, "Connecting"));
    assertTrue(ReplicaErrors.ioFatal(1045, "No"));
    assertTrue(!ReplicaErrors.ioFatal(2003, "Connecting"));
    assertTrue(!ReplicaErrors.ioFatal(0, "No"));
  }

  /**
   * The binlog reader and the replication monitor once read "binlog gone" differently: the monitor
   * knew MySQL 8's 13114 besides 1236, the reader only 1236 (so it retried 13114 as a transient
   * server error). Both now ask {@link ReplicaErrors#binlogGone}.
   */
  @Test
  void
      givenBinlogGoneOnMySql57OrMySql8_whenTheReaderSortsTheServerError_thenReplicationIsBrokenForGood() {
    for (int errno : new int[] {1236, 13114}) {
      ApplicationFailure f =
          SourceBinlogReader.serverFailure(
              "reading app-source",
              new ServerException(
                  "Could not find first log file name in binary log index file", errno, "HY000"));
      assertEquals(ErrorTypes.REPLICATION_BROKEN, f.getType(), "errno " + errno);
      assertTrue(f.isNonRetryable(), "errno " + errno);
    }
    ApplicationFailure lost =
        SourceBinlogReader.serverFailure(
            "reading app-source", new ServerException("Lost connection", 2013, "HY000"));
    assertTrue(!lost.isNonRetryable(), "a lost connection is retried");
  }
}
