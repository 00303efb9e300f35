package dev.dbops.activities.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReplicationSqlTest {
  @Test
  void givenLogFiles_whenEventReadsAreBuilt_thenQuotedAndPaged() {
    assertEquals(
        "SHOW RELAYLOG EVENTS IN 'relaylog.000002' FROM 565 LIMIT 100, 100",
        ReplicationSql.relayLogEvents("relaylog.000002", 565, 100, 100));
    assertEquals(
        "SHOW BINLOG EVENTS IN 'mysql-bin-changelog.000001' FROM 4 LIMIT 0, 100",
        ReplicationSql.binlogEvents("mysql-bin-changelog.000001", 4, 0, 100));
    assertThrows(
        IllegalArgumentException.class, () -> ReplicationSql.relayLogEvents("x' OR '1", 4, 0, 1));
  }

  @Test
  void givenAHeartbeatTable_whenTheLagQueryIsBuilt_thenIdentifiersAreQuoted() {
    assertEquals(
        "SELECT CAST(MAX(ts) AS DATETIME(6)) FROM `percona`.`heartbeat`",
        ReplicationSql.heartbeatTimestamp("percona.heartbeat"));
    assertThrows(IllegalArgumentException.class, () -> ReplicationSql.heartbeatTimestamp("a.b`c"));
  }

  @Test
  void givenText_whenQuotedAsALiteral_thenQuotesAndBackslashesAreEscaped() {
    assertEquals("'it''s \\\\ here'", ReplicationSql.literal("it's \\ here"));
  }
}
