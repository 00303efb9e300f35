package dev.dbops.workflows.upgrade;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class UpgradeSqlTest {
  @Test
  void givenDdlStatements_whenClassified_thenEveryKindIsDdlEvenBehindComments() {
    for (String ddl :
        new String[] {
          "ALTER TABLE t ADD c INT",
          "create index i on t(c)",
          "DROP TABLE t",
          "RENAME TABLE a TO b",
          "TRUNCATE t",
          "OPTIMIZE TABLE t",
          "  /* gh-ost */ ALTER TABLE t ENGINE=InnoDB",
          "-- migration 42\nALTER TABLE t DROP c",
          "# x\n\tcreate table t (i int)"
        }) {
      assertTrue(UpgradeSql.isDdl(ddl), ddl);
    }
  }

  @Test
  void givenOtherStatements_whenClassified_thenNotDdl() {
    for (String sql :
        new String[] {
          "SELECT * FROM alter_log",
          "UPDATE t SET created = 1",
          "INSERT INTO drops VALUES (1)",
          "ALTERNATIVE",
          "/* ALTER TABLE */ SELECT 1",
          "",
          null
        }) {
      assertFalse(UpgradeSql.isDdl(sql), String.valueOf(sql));
    }
  }

  @Test
  void givenInnodbStatus_whenParsed_thenHistoryListLength() {
    String status =
        "------------\nTRANSACTIONS\n------------\nTrx id counter 1234\n"
            + "Purge done for trx's n:o < 1200 undo n:o < 0 state: running\nHistory list length 8742\n";
    assertEquals(OptionalLong.of(8742), UpgradeSql.historyListLength(status));
    assertEquals(OptionalLong.empty(), UpgradeSql.historyListLength("no such line"));
  }

  @Test
  void givenXaRecoverRow_whenShown_thenTextPartsAndTheRollbackStatement() {
    String line = UpgradeSql.xaLine(1, 3, 2, "abcxy".getBytes(UTF_8));
    assertEquals("formatID=1 gtrid='abc' bqual='xy' (XA ROLLBACK X'616263',X'7879',1)", line);
  }

  @Test
  void givenBinaryXid_whenShown_thenHex() {
    String line = UpgradeSql.xaLine(7, 2, 0, new byte[] {0x00, (byte) 0xff});
    assertEquals("formatID=7 gtrid=X'00FF' bqual='' (XA ROLLBACK X'00FF',X'',7)", line);
  }

  @Test
  void givenLongMultiLineStatement_whenShortened_thenOneLineOfBoundedLength() {
    String s = UpgradeSql.shorten("ALTER TABLE t\n  ADD c INT" + " ".repeat(10) + "x".repeat(500));
    assertFalse(s.contains("\n"));
    assertEquals(UpgradeSql.STATEMENT_CHARS, s.length());
    assertTrue(s.startsWith("ALTER TABLE t ADD c INT x"));
  }

  @Test
  void givenMySqlOrMariaDbMetricColumns_whenRead_thenEnabledOnlyWhenOn() {
    assertTrue(UpgradeSql.metricEnabled("enabled", null));
    assertFalse(UpgradeSql.metricEnabled("disabled", null));
    assertTrue(UpgradeSql.metricEnabled(null, "1"));
    assertFalse(UpgradeSql.metricEnabled(null, "0"));
    assertFalse(UpgradeSql.metricEnabled(null, null));
  }
}
