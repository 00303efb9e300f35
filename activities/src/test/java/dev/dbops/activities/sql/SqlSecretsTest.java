package dev.dbops.activities.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlSecretsTest {
  @Test
  void
      givenAFailedReplicatedCreateUser_whenRedacted_thenThePasswordIsGoneAndTheErrorStaysReadable() {
    // MariaDB's Last_SQL_Error quotes the statement, unescaped, inside the message
    String error =
        "Error 'Operation CREATE USER failed for 'app'@'%'' on query. Default database: ''. "
            + "Query: 'CREATE USER 'app'@'%' IDENTIFIED BY 'pw-123''";
    assertEquals(
        "Error 'Operation CREATE USER failed for 'app'@'%'' on query. Default database: ''. "
            + "Query: 'CREATE USER 'app'@'%' IDENTIFIED BY <redacted>",
        SqlSecrets.redact(error));
  }

  @Test
  void givenEveryWayAPasswordIsWritten_whenRedacted_thenNoLiteralIsLeft() {
    List<String> statements =
        List.of(
            "use `app`; CREATE USER 'u'@'%' IDENTIFIED BY 's3cr''et\\\\x'",
            "ALTER USER 'u'@'%' IDENTIFIED BY \"s3cr'et\\\\x\"",
            "GRANT ALL ON *.* TO 'u'@'%' identified   by   's3cr''et\\\\x' WITH GRANT OPTION",
            "CREATE USER 'u'@'%' IDENTIFIED WITH 'mysql_native_password' AS 's3cr''et\\\\x'",
            "CREATE USER 'u'@'%' IDENTIFIED WITH mysql_native_password BY 's3cr''et\\\\x'",
            "CREATE USER 'u'@'%' IDENTIFIED BY PASSWORD 's3cr''et\\\\x'",
            "CREATE USER 'u'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('s3cr''et\\\\x')",
            "CREATE USER 'u'@'%' IDENTIFIED VIA unix_socket OR mysql_native_password USING 's3cr''et\\\\x'",
            "SET PASSWORD FOR 'u'@'%' = PASSWORD('s3cr''et\\\\x')",
            "SET PASSWORD = 's3cr''et\\\\x'",
            "CHANGE MASTER TO MASTER_HOST='h', MASTER_PASSWORD = 's3cr''et\\\\x', MASTER_PORT=3306",
            "SELECT OLD_PASSWORD('s3cr''et\\\\x')",
            "CREATE USER 'u'@'%' IDENTIFIED BY 's3cr''et\\\\x… (40000 characters)");
    for (String sql : statements) {
      String out = SqlSecrets.redact(sql);
      assertFalse(out.contains("s3cr"), sql + " → " + out);
      assertFalse(out.contains("et\\"), sql + " → " + out);
    }
    assertEquals(
        "CHANGE MASTER TO MASTER_HOST='h', MASTER_PASSWORD = <redacted>, MASTER_PORT=3306",
        SqlSecrets.redact(statements.get(10)));
  }

  @Test
  void givenAHashWrittenAsHex_whenRedacted_thenMasked() {
    assertEquals(
        "CREATE USER 'u'@'%' IDENTIFIED WITH 'caching_sha2_password' AS <redacted> REQUIRE NONE",
        SqlSecrets.redact(
            "CREATE USER 'u'@'%' IDENTIFIED WITH 'caching_sha2_password' AS 0x2441243030352431 "
                + "REQUIRE NONE"));
  }

  @Test
  void givenTextWithoutPasswords_whenRedacted_thenUnchanged() {
    for (String sql :
        List.of(
            "use `app`; INSERT INTO t VALUES (1, 'identified by nobody')",
            "Error 'Duplicate entry '3' for key 'PRIMARY'' on query. Default database: 'demo'. Query: 'INSERT INTO t VALUES (3)'",
            "SELECT a FROM t JOIN u USING (id)",
            "",
            "Write_rows_v1: table_id: 33 flags: STMT_END_F")) {
      assertEquals(sql, SqlSecrets.redact(sql));
    }
    assertNull(SqlSecrets.redact(null));
  }
}
