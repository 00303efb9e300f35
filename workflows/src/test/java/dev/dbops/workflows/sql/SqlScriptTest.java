package dev.dbops.workflows.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Masking scripts split as the mysql client reads a file. */
class SqlScriptTest {

  @Test
  void
      givenAStringLiteralHoldingSemicolonsAndLineBreaks_whenSplit_thenTheLiteralIsKeptByteForByte() {
    String script =
        "UPDATE app.users SET note = 'first;\n   second;\n\tthird' WHERE id = 1;\n"
            + "UPDATE app.users SET name = \"x;\"\"y\" WHERE id = 2;";

    assertEquals(
        List.of(
            "UPDATE app.users SET note = 'first;\n   second;\n\tthird' WHERE id = 1",
            "UPDATE app.users SET name = \"x;\"\"y\" WHERE id = 2"),
        SqlScript.split(script));
  }

  @Test
  void givenCommentsHoldingSemicolonsAndQuotes_whenSplit_thenCommentsAreDroppedAndSplitNothing() {
    String script =
        """
        /* masking for staging;
           reviewed by the DBA team; don't edit */
        UPDATE app.users SET email = CONCAT('user', id, '@example.invalid'); -- emails; all of them
        # phones; the 'old' ones too
        UPDATE app.users /* inline; */ SET phone = '+10000' -- until here;
          WHERE id > 0;
        """;

    assertEquals(
        List.of(
            "UPDATE app.users SET email = CONCAT('user', id, '@example.invalid')",
            "UPDATE app.users  SET phone = '+10000'\nWHERE id > 0"),
        SqlScript.split(script));
  }

  @Test
  void givenADelimiterBlock_whenSplit_thenTheRoutineIsOneStatementAndTheDelimiterComesBack() {
    String script =
        """
        DELIMITER //
        CREATE PROCEDURE app.mask_all()
        BEGIN
          UPDATE app.users SET email = CONCAT('user', id, '@example.invalid');
          UPDATE app.users SET phone = '+10000';
        END //
        DELIMITER ;
        CALL app.mask_all();
        delimiter $$
        CREATE FUNCTION app.one() RETURNS INT RETURN 1$$
        DELIMITER ;
        DROP PROCEDURE app.mask_all;
        """;

    assertEquals(
        List.of(
            "CREATE PROCEDURE app.mask_all()\nBEGIN\nUPDATE app.users SET email = CONCAT('user', id,"
                + " '@example.invalid');\nUPDATE app.users SET phone = '+10000';\nEND",
            "CALL app.mask_all()",
            "CREATE FUNCTION app.one() RETURNS INT RETURN 1",
            "DROP PROCEDURE app.mask_all"),
        SqlScript.split(script));
  }

  @Test
  void
      givenADelimiterLineAfterAStatementWithoutItsDelimiter_whenSplit_thenThatStatementEndsThereAsInTheClient() {
    assertEquals(
        List.of("UPDATE a SET x = 'delimiter //'", "UPDATE b SET y = 2", "UPDATE c SET z = 3"),
        SqlScript.split(
            "UPDATE a SET x = 'delimiter //'\nDELIMITER $$\nUPDATE b SET y = 2$$ delimiter ;\n"
                + "UPDATE c SET z = 3;"));
  }

  @Test
  void givenSeveralStatementsOnOneLineAndALastOneWithoutDelimiter_whenSplit_thenEachOnItsOwn() {
    assertEquals(
        List.of("UPDATE a SET x = 1", "UPDATE b SET y = 2", "UPDATE c SET z = 3"),
        SqlScript.split("UPDATE a SET x = 1; UPDATE b SET y = 2;\n\nUPDATE c SET z = 3\n"));
  }

  @Test
  void givenAnExecutableComment_whenSplit_thenItIsKeptAsCode() {
    assertEquals(
        List.of("/*!40101 SET NAMES utf8mb4 */", "UPDATE t SET a = 1"),
        SqlScript.split("/*!40101 SET NAMES utf8mb4 */;\nUPDATE t SET a = 1;"));
  }

  @Test
  void givenScriptsTheClientAndServerWouldReadDifferently_whenSplit_thenRefusedSayingWhere() {
    assertRefused(
        "UPDATE t SET a = 'open;\nUPDATE t SET b = 1;",
        "unterminated string (') starting at line 1");
    assertRefused("UPDATE t SET a = 1; /* never closed", "unterminated /* comment");
    assertRefused(
        "/*!50000 UPDATE t SET a = 1; UPDATE t SET b = 2 */;", "holds a delimiter or a quote");
    assertRefused("/*!50000 UPDATE t SET a = '*/' */;", "holds a delimiter or a quote");
    assertRefused("UPDATE t SET a = 1 \\g", "mysql client commands");
    assertRefused("DELIMITER 'x'\nUPDATE t SET a = 1x", "DELIMITER at line 1");
  }

  private static void assertRefused(String script, String words) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SqlScript.split(script));
    assertTrue(
        e.getMessage().contains(words), "'" + e.getMessage() + "' should say '" + words + "'");
  }
}
