package dev.dbops.activities.binlog;

import dev.dbops.workflows.binlog.Conflict;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TRANSACTION mode: the row changes a whole-transaction skip leaves out, each with its row images
 * from the source's binlog, as journal conflicts resolved {@link #LOST_WITH_TRANSACTION}. The
 * relay log names only a table and a row count for a row event (and Aurora writes no statement
 * text by default), so without them an operator could not tell which rows to reconcile.
 * Columns are named from the replica's table; where it differs from the row image (or a value
 * cannot be decoded), by position ({@code @1}, {@code @2}, …) with the values as they came.
 */
final class LostRows {
  /** A row of a skipped transaction: not known to conflict itself, left out with the rest. */
  static final String LOST_WITH_TRANSACTION = Conflict.LOST_WITH_TRANSACTION;

  private LostRows() {}

  static List<Conflict> of(SourceTransaction tx, SqlSession replica, Map<String, TableShape> shapes, String decidedBy)
      throws SQLException {
    List<Conflict> out = new ArrayList<>();
    for (SourceTransaction.Change c : tx.changes()) {
      if (!(c instanceof SourceTransaction.Row r)) continue;
      Optional<TableShape> shape = TableShapes.of(replica, shapes, r.database(), r.table())
          .filter(t -> t.columns().size() == r.columns());
      String source = shape.flatMap(t -> named(t, r)).orElseGet(() -> positional(r));
      out.add(new Conflict(0, r.qualifiedTable(), r.kind().name(), source, null, LOST_WITH_TRANSACTION, decidedBy));
    }
    return out;
  }

  private static Optional<String> named(TableShape t, SourceTransaction.Row r) {
    try {
      Object[] before = RowValues.bind(t, r.before());
      Object[] after = RowValues.bind(t, r.after());
      return Optional.of(switch (r.kind()) {
        case INSERT -> RowValues.json(t, after);
        case UPDATE -> RowValues.json(t, before, after);
        case DELETE -> RowValues.json(t, before);
      });
    } catch (RowValues.Unsupported e) {
      return Optional.empty();
    }
  }

  private static String positional(SourceTransaction.Row r) {
    return switch (r.kind()) {
      case INSERT -> RowValues.write(byPosition(r.after()));
      case DELETE -> RowValues.write(byPosition(r.before()));
      case UPDATE -> {
        Map<String, Object> both = new LinkedHashMap<>();
        both.put("before", byPosition(r.before()));
        both.put("after", byPosition(r.after()));
        yield RowValues.write(both);
      }
    };
  }

  private static Map<String, Object> byPosition(java.io.Serializable[] image) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; image != null && i < image.length; i++) row.put("@" + (i + 1), RowValues.shown(image[i]));
    return row;
  }
}
