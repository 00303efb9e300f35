package dev.dbops.activities.binlog;

import com.github.shyiko.mysql.binlog.event.AnnotateRowsEventData;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.IntVarEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RowsQueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Collects one transaction from the events a binlog dump sends from the transaction's first event
 * on: what {@code mysql.rds_skip_repl_error} would skip as a whole. Pure: the reader feeds it
 * events. A group starts with a MariaDB GTID event (a transaction unless flagged standalone), a
 * MySQL GTID or a {@code BEGIN}, and ends with an Xid or {@code COMMIT}/{@code ROLLBACK}; without
 * one, it is one statement. Anything it cannot decode faithfully (user variables, RAND seeds,
 * partial row images, unknown events) makes it refuse rather than guess.
 */
final class TransactionCollector {
  /** Events kept per transaction; a bigger one is left to a person. */
  static final int MAX_EVENTS = 10_000;

  private static final Set<EventType> BOOKKEEPING =
      Set.of(
          EventType.ROTATE,
          EventType.FORMAT_DESCRIPTION,
          EventType.HEARTBEAT,
          EventType.PREVIOUS_GTIDS,
          EventType.MARIADB_GTID_LIST,
          EventType.BINLOG_CHECKPOINT,
          EventType.STOP);
  private static final Pattern END =
      Pattern.compile(
          "^(?:\\s|/\\*.*?\\*/)*(COMMIT|ROLLBACK)\\b", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
  private static final int INSERT_ID = 2;
  private static final int LAST_INSERT_ID = 1;

  private final long from;
  private final List<SourceTransaction.Change> changes = new ArrayList<>();
  private final List<String> lines = new ArrayList<>();
  private final Map<Long, TableMapEventData> tables = new HashMap<>();
  private final List<String> context = new ArrayList<>();
  private boolean started;
  private boolean inTransaction;
  private boolean complete;
  private String refusal;
  private int events;

  /**
   * @param from the transaction's first event's position (Exec_Master_Log_Pos)
   */
  TransactionCollector(long from) {
    this.from = from;
  }

  boolean done() {
    return complete || refusal != null;
  }

  /** The transaction read, or why it cannot be applied again piece by piece. */
  SourceTransaction result() {
    if (refusal != null) return SourceTransaction.refused(List.copyOf(lines), refusal);
    if (!complete)
      return SourceTransaction.refused(
          List.copyOf(lines), "the transaction was not read to its end");
    return new SourceTransaction(List.copyOf(changes), List.copyOf(lines), null);
  }

  /** Takes the next event of the dump; false once no more are wanted. */
  boolean add(Event e) {
    if (done()) return false;
    EventHeaderV4 h = e.getHeader();
    EventType type = h.getEventType();
    // MariaDB 11 writes end_log_pos 0 inside a transaction: positions are checked where they are
    // given.
    if (BOOKKEEPING.contains(type)
        || !started && h.getNextPosition() != 0 && h.getNextPosition() <= from) return true;
    if (!started) {
      started = true;
      long at = h.getNextPosition() - h.getEventLength();
      if (h.getNextPosition() != 0 && at != from) {
        return refuse(
            "the binlog has no event starting at position " + from + " (next one at " + at + ")");
      }
    }
    if (++events > MAX_EVENTS)
      return refuse("more than " + MAX_EVENTS + " events in one transaction");
    Object d = e.getData();
    switch (type) {
      case MARIADB_GTID -> {
        MariadbGtidEventData g = (MariadbGtidEventData) d;
        boolean standalone = (g.getFlags() & MariadbGtidEventData.FL_STANDALONE) != 0;
        inTransaction = !standalone;
        lines.add(
            "Gtid: "
                + (standalone ? "" : "BEGIN ")
                + "GTID "
                + g.getDomainId()
                + "-"
                + h.getServerId()
                + "-"
                + g.getSequence());
      }
      case GTID, ANONYMOUS_GTID -> lines.add(type + ": " + d);
      case QUERY -> {
        QueryEventData q = (QueryEventData) d;
        String sql = q.getSql() == null ? "" : q.getSql().strip();
        lines.add(
            "Query: "
                + (q.getDatabase() == null || q.getDatabase().isEmpty()
                    ? ""
                    : "use `" + q.getDatabase() + "`; ")
                + sql);
        if (sql.equalsIgnoreCase("BEGIN")) {
          inTransaction = true;
        } else if (END.matcher(sql).find()) {
          if (sql.toUpperCase(Locale.ROOT).stripLeading().startsWith("ROLLBACK")) {
            return refuse("the transaction ends in ROLLBACK");
          }
          complete = true;
        } else {
          changes.add(
              new SourceTransaction.Statement(
                  q.getDatabase(), sql, List.copyOf(context), h.getTimestamp() / 1000));
          context.clear();
          if (!inTransaction) complete = true;
        }
      }
      case INTVAR -> {
        IntVarEventData v = (IntVarEventData) d;
        String name =
            v.getType() == INSERT_ID
                ? "INSERT_ID"
                : v.getType() == LAST_INSERT_ID ? "LAST_INSERT_ID" : null;
        if (name == null) return refuse("an Intvar event of unknown type " + v.getType());
        context.add("SET " + name + " = " + v.getValue());
        lines.add("Intvar: " + name + "=" + v.getValue());
      }
      case ANNOTATE_ROWS ->
          lines.add("Annotate_rows: " + ((AnnotateRowsEventData) d).getRowsQuery());
      case ROWS_QUERY -> lines.add("Rows_query: " + ((RowsQueryEventData) d).getQuery());
      case TABLE_MAP -> {
        TableMapEventData t = (TableMapEventData) d;
        tables.put(t.getTableId(), t);
        lines.add("Table_map: `" + t.getDatabase() + "`.`" + t.getTable() + "`");
      }
      case WRITE_ROWS, EXT_WRITE_ROWS -> {
        WriteRowsEventData w = (WriteRowsEventData) d;
        TableMapEventData t = table(w.getTableId());
        if (t == null) return refuse("rows of a table id without Table_map: " + w.getTableId());
        if (!full(t, w.getIncludedColumns())) return refusePartial(t);
        for (Serializable[] row : w.getRows())
          rows(t, SourceTransaction.Row.Kind.INSERT, null, row);
        lines.add(
            "Write_rows: `"
                + t.getDatabase()
                + "`.`"
                + t.getTable()
                + "` "
                + w.getRows().size()
                + " row(s)");
      }
      case UPDATE_ROWS, EXT_UPDATE_ROWS -> {
        UpdateRowsEventData u = (UpdateRowsEventData) d;
        TableMapEventData t = table(u.getTableId());
        if (t == null) return refuse("rows of a table id without Table_map: " + u.getTableId());
        if (!full(t, u.getIncludedColumnsBeforeUpdate()) || !full(t, u.getIncludedColumns()))
          return refusePartial(t);
        for (Map.Entry<Serializable[], Serializable[]> row : u.getRows()) {
          rows(t, SourceTransaction.Row.Kind.UPDATE, row.getKey(), row.getValue());
        }
        lines.add(
            "Update_rows: `"
                + t.getDatabase()
                + "`.`"
                + t.getTable()
                + "` "
                + u.getRows().size()
                + " row(s)");
      }
      case DELETE_ROWS, EXT_DELETE_ROWS -> {
        DeleteRowsEventData x = (DeleteRowsEventData) d;
        TableMapEventData t = table(x.getTableId());
        if (t == null) return refuse("rows of a table id without Table_map: " + x.getTableId());
        if (!full(t, x.getIncludedColumns())) return refusePartial(t);
        for (Serializable[] row : x.getRows())
          rows(t, SourceTransaction.Row.Kind.DELETE, row, null);
        lines.add(
            "Delete_rows: `"
                + t.getDatabase()
                + "`.`"
                + t.getTable()
                + "` "
                + x.getRows().size()
                + " row(s)");
      }
      case XID -> {
        lines.add("Xid: COMMIT");
        complete = true;
      }
      default -> {
        lines.add(type + ": " + d);
        return refuse(
            "it holds a "
                + type
                + " event, which is not applied piece by piece (user variables, RAND()"
                + " seeds, XA, …)");
      }
    }
    return !done();
  }

  private TableMapEventData table(long id) {
    return tables.get(id);
  }

  private void rows(
      TableMapEventData t,
      SourceTransaction.Row.Kind kind,
      Serializable[] before,
      Serializable[] after) {
    if (!inTransaction) {
      refuse("row events outside a transaction (a non-transactional table)");
      return;
    }
    changes.add(
        new SourceTransaction.Row(
            kind, t.getDatabase(), t.getTable(), t.getColumnTypes().length, before, after));
  }

  private static boolean full(TableMapEventData t, BitSet included) {
    return included != null && included.cardinality() == t.getColumnTypes().length;
  }

  private boolean refusePartial(TableMapEventData t) {
    return refuse(
        "row events of `"
            + t.getDatabase()
            + "`.`"
            + t.getTable()
            + "` lack full images"
            + " (binlog_row_image is not FULL on the source)");
  }

  private boolean refuse(String why) {
    if (refusal == null) refusal = why;
    return false;
  }
}
