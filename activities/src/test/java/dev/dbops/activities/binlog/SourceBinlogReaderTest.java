package dev.dbops.activities.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.binlog.BinlogPosition;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The source's binlog read with mysql-binlog-connector-java, one transaction at a time, on a real
 * MariaDB.
 */
@Tag("mariadb")
class SourceBinlogReaderTest {
  private static ReplicationFixture fx;
  private static SourceBinlogReader reader;

  @BeforeAll
  static void start() {
    fx = ReplicationFixture.start();
    reader =
        new SourceBinlogReader(
            fx.pair.source().host(),
            fx.pair.source().port(),
            fx.pair.adminUser(),
            fx.pair.adminPassword(),
            "DISABLED",
            Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    if (fx != null) fx.close();
  }

  @BeforeEach
  void reset() throws Exception {
    fx.reset();
    try (Connection c = fx.pair.connectSource();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE app");
      s.execute(
          "CREATE TABLE app.orders (id INT PRIMARY KEY, note VARCHAR(60), amount DECIMAL(8,2),"
              + " big BIGINT UNSIGNED, at DATETIME(3))");
    }
  }

  private static BinlogPosition position() throws Exception {
    String[] row = fx.onSource("SHOW MASTER STATUS").get(0).split("\t");
    return new BinlogPosition(row[0], Long.parseLong(row[1]));
  }

  @Test
  void givenAStatementTransaction_whenRead_thenItsStatementsComeWithTheirSchema() throws Exception {
    BinlogPosition at = position();
    try (Connection c = fx.pair.connectSource();
        Statement s = c.createStatement()) {
      s.execute("USE app");
      s.execute("BEGIN");
      s.execute("INSERT INTO orders (id, note) VALUES (1, 'one')");
      s.execute("UPDATE app.orders SET note = 'uno' WHERE id = 1");
      s.execute("COMMIT");
      s.execute("INSERT INTO orders (id, note) VALUES (2, 'after')");
    }

    SourceTransaction tx = reader.read(at);

    assertNull(tx.refusal(), tx.toString());
    assertEquals(2, tx.changes().size(), tx.toString());
    SourceTransaction.Statement first = (SourceTransaction.Statement) tx.changes().get(0);
    assertEquals("app", first.database());
    assertEquals("INSERT INTO orders (id, note) VALUES (1, 'one')", first.sql());
    assertTrue(tx.lines().get(tx.lines().size() - 1).startsWith("Xid"), tx.lines().toString());
  }

  @Test
  void givenARowTransaction_whenRead_thenEveryRowHasFullImages() throws Exception {
    try (Connection c = fx.pair.connectSource();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO app.orders VALUES (1, 'one', 1.50, 18446744073709551615, '2026-01-02 03:04:05.678')");
    }
    BinlogPosition at = position();
    try (Connection c = fx.pair.connectSource();
        Statement s = c.createStatement()) {
      s.execute("SET SESSION binlog_format = 'ROW'");
      s.execute("BEGIN");
      s.execute("UPDATE app.orders SET note = 'uno' WHERE id = 1");
      s.execute("INSERT INTO app.orders (id, note) VALUES (2, 'two'), (3, 'three')");
      s.execute("DELETE FROM app.orders WHERE id = 3");
      s.execute("COMMIT");
    }

    SourceTransaction tx = reader.read(at);

    assertNull(tx.refusal(), tx.toString());
    List<SourceTransaction.Change> rows = tx.changes();
    assertEquals(4, rows.size(), tx.toString());
    SourceTransaction.Row update = (SourceTransaction.Row) rows.get(0);
    assertEquals(SourceTransaction.Row.Kind.UPDATE, update.kind());
    assertEquals("orders", update.table());
    assertEquals(5, update.before().length);
    TableShape shape =
        new TableShape(
            "app",
            "orders",
            List.of(
                new TableShape.Column("id", "int", false, null),
                new TableShape.Column("note", "varchar", false, "utf8mb4"),
                new TableShape.Column("amount", "decimal", false, null),
                new TableShape.Column("big", "bigint", true, null),
                new TableShape.Column("at", "datetime", false, null)),
            List.of("id"),
            List.of(List.of("id")));
    Object[] after = new Object[5];
    for (int i = 0; i < 5; i++)
      after[i] = RowValues.bind(shape.columns().get(i), update.after()[i]);
    assertEquals(
        "{\"id\":1,\"note\":\"uno\",\"amount\":\"1.50\",\"big\":\"18446744073709551615\","
            + "\"at\":\"2026-01-02T03:04:05.678\"}",
        RowValues.json(shape, after));
    assertEquals(SourceTransaction.Row.Kind.INSERT, ((SourceTransaction.Row) rows.get(1)).kind());
    assertEquals(SourceTransaction.Row.Kind.DELETE, ((SourceTransaction.Row) rows.get(3)).kind());
    assertTrue(
        String.join("\n", tx.lines()).contains("Annotate_rows: UPDATE app.orders SET note = 'uno'"),
        tx.lines().toString());
  }
}
