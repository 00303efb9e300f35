package dev.dbops.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InsertShapeTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "INSERT INTO app.orders VALUES (2, 'two')|app.orders|VALUES (2, 'two')",
        "insert ignore into `app`.`orders` (id, note) values (2, 'a), (b')|`app`.`orders`|(id, note) values (2, 'a), (b')",
        "REPLACE orders SET id = 2, note = 'x'|orders|SET id = 2, note = 'x'",
        "INSERT INTO orders VALUE (2, CONCAT('a', 'b'));|orders|VALUE (2, CONCAT('a', 'b'));",
        "INSERT INTO orders VALUES (2, 'it''s \\' ) (')|orders|VALUES (2, 'it''s \\' ) (')"
      })
  void givenOneRow_whenShaped_thenItCanBeSplitOut(String sql, String table, String rest) {
    InsertShape s = InsertShape.of(sql);

    assertTrue(s.singleRow(), sql);
    assertEquals(table, s.table());
    assertEquals(rest, s.rest());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "INSERT INTO orders VALUES (1, 'one'), (2, 'two')",
        "INSERT INTO orders SELECT id, note FROM staging",
        "INSERT INTO orders (id, note) SELECT id, note FROM staging",
        "INSERT INTO orders VALUES (1, 'one') ON DUPLICATE KEY UPDATE note = 'x'",
        "INSERT INTO orders PARTITION (p0) VALUES (1, 'one')",
        "UPDATE orders SET note = 'x'",
        "INSERT INTO orders VALUES (1, 'unterminated"
      })
  void givenSeveralRowsOrAnythingElse_whenShaped_thenItIsNotOneRow(String sql) {
    assertFalse(InsertShape.of(sql).singleRow(), sql);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "INSERT INTO t VALUES (1)|true",
        "/* x */ update t set a = 1|true",
        "DELETE FROM t|true",
        "REPLACE INTO t VALUES (1)|true",
        "CREATE TABLE t (a INT)|false",
        "TRUNCATE t|false",
        "ALTER TABLE t ADD b INT|false"
      })
  void givenAStatement_whenAskedIfDml_thenOnlyInsertUpdateDeleteReplaceAre(
      String sql, boolean dml) {
    assertEquals(dml, InsertShape.isDml(sql));
  }
}
