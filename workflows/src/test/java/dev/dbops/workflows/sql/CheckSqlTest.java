package dev.dbops.workflows.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The check-SQL rule: one table of statements a user could give as a verification or smoke query,
 * each accepted (null) or refused with a message holding the given words. Quoting, escapes and
 * comments decide where a statement ends, so most rows hide a {@code ;} or a keyword in one.
 */
class CheckSqlTest {
  static final String OK = null;

  static Stream<Arguments> table() {
    return Stream.of(
        // reads, some with a ';' or a refused word where it does not count
        row("SELECT COUNT(*) FROM app.users WHERE email NOT LIKE '%@example.invalid'", OK),
        row("select count(*) from app.users", OK),
        row("SELECT 1;", OK),
        row("SELECT 1;  -- trailing comment after the delimiter\n", OK),
        row("SELECT 'a;b; DROP TABLE x' AS s", OK),
        row("SELECT 'it''s; DELETE FROM x'", OK),
        row("SELECT \"say \\\"hi\\\"; DROP TABLE x\" FROM t", OK),
        row("SELECT \"a\"\"; DROP TABLE x; --\"", OK),
        row("SELECT 'a\\'; DROP TABLE x; -- '", OK), // one string under backslash escapes
        row("SELECT `into`, `lock`, `a``;b` FROM app.t", OK),
        row("SELECT 1 -- ; DROP TABLE x", OK),
        row("SELECT 1 # ; DROP TABLE x", OK),
        row("SELECT /* ; DROP TABLE x; */ 1", OK),
        row("SELECT 1--1", OK), // minus minus one: no comment, no second statement
        row("WITH u AS (SELECT * FROM app.users) SELECT COUNT(*) FROM u", OK),
        row(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3), m AS (SELECT 2)"
                + " SELECT COUNT(*) FROM n, m",
            OK),
        row("(SELECT 1) UNION (SELECT 2)", OK),
        row("SHOW TABLES FROM app", OK),
        row("SHOW GRANTS FOR CURRENT_USER", OK),
        row("SHOW PROCEDURE STATUS WHERE Db = 'app'", OK),
        row("SHOW TABLES FROM app WHERE SLEEP(1) = 0", "SLEEP()"),
        row("SELECT t.lock, t.into FROM app.t", OK),
        row("SELECT REPLACE(email, 'a', 'b'), INSERT(name, 1, 1, 'x') FROM app.users", OK),
        row(
            "SELECT 0 UNION ALL SELECT COUNT(*) FROM app.users",
            OK), // a read; its shape is judged when run
        row("TABLE app.users", OK),
        // nothing, or more than one statement
        row("", "empty"),
        row("   -- only a comment\n/* and another */", "only comments"),
        row("; SELECT 1", "before any statement"),
        row("SELECT 1; DROP TABLE app.users", "more than one statement"),
        row("SELECT 1;SELECT 2", "more than one statement"),
        row("SELECT 'a\\\\'; DROP TABLE x", "more than one statement"), // the string ends after a\\
        row(
            "SELECT 1 -- c\n; DROP TABLE x",
            "more than one statement"), // the comment ends at the line
        row("SELECT 1 # c\n; DROP TABLE x", "more than one statement"),
        row("SELECT /* c */ 1 /**/; DROP TABLE x", "more than one statement"),
        row("SELECT 1 \\g DROP TABLE x", "'\\' outside a string"),
        // comments the server runs
        row("SELECT 1 /*!50000 ; DROP TABLE x */", "comment the server runs"),
        row("SELECT 1 /*M!100000 INTO OUTFILE '/tmp/x' */", "comment the server runs"),
        row("SELECT /*+ SET_VAR(sort_buffer_size = 1) */ 1", "comment the server runs"),
        // not a read
        row("DELETE FROM app.users", "must be a read"),
        row("CREATE DATABASE x", "not CREATE"),
        row("DROP TABLE app.users", "must be a read"),
        row("UPDATE app.users SET email = NULL", "must be a read"),
        row("INSERT INTO app.t VALUES (1)", "must be a read"),
        row("SET @x = 1", "must be a read"),
        row("CALL app.mask()", "must be a read"),
        row("DO SLEEP(1)", "must be a read"),
        row("EXPLAIN ANALYZE SELECT 1", "must be a read"),
        row("/* note */ LOAD DATA INFILE '/etc/passwd' INTO TABLE t", "must be a read"),
        row("WITH d AS (SELECT 1) DELETE FROM app.users", "not DELETE (after WITH)"),
        row("(DELETE FROM app.users)", "must be a read"),
        // reads that lock, write, export or act
        row(
            "SELECT * FROM app.users INTO OUTFILE '/tmp/users.csv'",
            "'INTO' locks, writes or exports"),
        row("SELECT email INTO @e FROM app.users LIMIT 1", "'INTO'"),
        row("SELECT * FROM app.users FOR UPDATE", "'FOR UPDATE' locks rows"),
        row("SELECT * FROM app.users FOR /* x */ share", "'FOR SHARE' locks rows"),
        row("SELECT * FROM app.users LOCK IN SHARE MODE", "'LOCK'"),
        row("SELECT * FROM app.t PROCEDURE ANALYSE()", "'PROCEDURE'"),
        row("SELECT SLEEP(10)", "SLEEP() acts beyond reading"),
        row("SELECT sleep  (10)", "SLEEP()"),
        row("SELECT BENCHMARK(1000000000, MD5('x'))", "BENCHMARK()"),
        row("SELECT GET_LOCK('x', 10)", "GET_LOCK()"),
        row("SELECT LOAD_FILE('/etc/passwd')", "LOAD_FILE()"),
        row("SELECT NEXTVAL(app.seq)", "NEXTVAL()"),
        row("SELECT NEXT VALUE FOR app.seq", "'NEXT VALUE FOR'"),
        row("SELECT @a := 1", "':='"),
        // text the server could read differently
        row("SELECT 'unterminated", "unterminated string (') starting at line 1, column 8"),
        row("SELECT 1 /* open", "unterminated /* comment"),
        row("SELECT `x FROM t", "unterminated quoted identifier"),
        row(
            "SELECT 1 -- \0; DROP TABLE x",
            "a NUL character at line 1, column 13")); // the server's comment ends there
  }

  static Arguments row(String sql, String refusal) {
    return Arguments.of(sql, refusal);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("table")
  void givenCheckSql_whenJudged_thenAcceptedOrRefusedSayingWhy(String sql, String refusal) {
    String problem = CheckSql.problem(sql);

    if (refusal == null) {
      assertNull(problem, sql);
    } else {
      assertNotNull(problem, "accepted: " + sql);
      assertTrue(problem.contains(refusal), "'" + problem + "' should say '" + refusal + "'");
    }
  }

  @Test
  void givenTheTable_whenCounted_thenAtLeastThirtyOfEach() {
    long accepted = table().filter(a -> a.get()[1] == null).count();
    long refused = table().filter(a -> a.get()[1] != null).count();

    assertTrue(accepted >= 20 && refused >= 30, accepted + " accepted, " + refused + " refused");
  }

  @Test
  void givenATrailingDelimiterAndComment_whenTheStatementIsTaken_thenTheTextUpToTheDelimiter() {
    assertEquals(
        "SELECT 'a;b' -- x\n FROM t",
        CheckSql.statement("  SELECT 'a;b' -- x\n FROM t ;  # done\n"));
  }
}
