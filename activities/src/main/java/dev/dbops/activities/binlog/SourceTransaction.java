package dev.dbops.activities.binlog;

import java.io.Serializable;
import java.util.List;

/**
 * One transaction (event group) as the source's binary log holds it, decoded by
 * mysql-binlog-connector-java: its statement events with their default schema, and its row events
 * with full row images. {@code refusal} says why it cannot be applied again piece by piece (then
 * {@code changes} may be incomplete and a person decides).
 *
 * @param lines how the journal lists the events
 */
record SourceTransaction(List<Change> changes, List<String> lines, String refusal) {

  /** A statement or a row change, in binlog order. */
  sealed interface Change permits Statement, Row {}

  /**
   * A Query event: {@code sql} run with {@code database} as default schema, after the {@code SET
   * INSERT_ID / LAST_INSERT_ID} of the Intvar events before it, at the source's {@code
   * timestampSeconds} (so NOW() answers what it answered there).
   */
  record Statement(String database, String sql, List<String> context, long timestampSeconds)
      implements Change {}

  /**
   * One row of a Write / Update / Delete rows event: the before image (update, delete) and after
   * image (write, update), every column of the table in its order ({@code columns} of them).
   */
  record Row(
      Kind kind,
      String database,
      String table,
      int columns,
      Serializable[] before,
      Serializable[] after)
      implements Change {
    enum Kind {
      INSERT,
      UPDATE,
      DELETE
    }

    String qualifiedTable() {
      return database + "." + table;
    }
  }

  static SourceTransaction refused(List<String> lines, String why) {
    return new SourceTransaction(List.of(), lines, why);
  }
}
