package dev.dbops.activities.binlog;

import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.workflows.binlog.Conflict;
import java.io.Serializable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TRANSACTION mode: the row changes a whole-transaction skip leaves out, each with its row images
 * from the source's binlog, as journal conflicts. The relay log names only a table and a row count
 * for a row event (and Aurora writes no statement text by default), so without them an operator
 * could not tell which rows to reconcile. Columns are named from the replica's table; where it
 * differs from the row image (or a value cannot be decoded), by position ({@code @1}, {@code @2},
 * …) with the values as they came.
 *
 * <p>The one rule for which of them are lost: a row is lost when the replica, as the skip leaves
 * it, does not hold it as the source has it after the transaction. Each key the transaction changes
 * is looked up on the replica by its primary key (else its first unique key): where the source
 * keeps a row (an insert's or update's after image), the replica's row under that key must equal it
 * value for value, compared as STATEMENT mode compares a duplicate key ({@link RowMatch}); where
 * the source leaves none (a delete; an update that moved the row to another key), the replica must
 * have none. The last change of a key in the transaction is judged ({@link
 * Conflict#LOST_WITH_TRANSACTION} or {@link Conflict#ALREADY_ON_REPLICA}); an earlier one is {@link
 * Conflict#CHANGED_AGAIN_IN_TRANSACTION}. A row that cannot be looked up or compared counts as lost
 * and its resolution says why ({@link Conflict#LOST_NO_KEY}, {@link Conflict#LOST_NOT_COMPARED}).
 */
final class LostRows {
  private static final Logger log = LoggerFactory.getLogger(LostRows.class);

  static final String LOST_WITH_TRANSACTION = Conflict.LOST_WITH_TRANSACTION;

  /**
   * Rows of one skipped transaction compared with the replica at most; the rest count as lost
   * ({@link Conflict#LOST_NOT_COMPARED}). A comparison is about three round trips (measured 0.75 ms
   * a row on loopback, 2,000 rows in 1.5 s): the bound keeps one skip well inside the monitor's
   * heartbeat timeout on a replica farther away.
   */
  static final int COMPARED_AT_MOST = 2_000;

  private LostRows() {}

  /**
   * The source's row under one key of one table after the transaction: {@code row} (bound for
   * {@code table}), or none ({@code row} null; {@code keyRow} gives the key's values).
   */
  record Target(TableShape table, List<String> key, Object[] row, Object[] keyRow) {}

  /**
   * How one row change is judged: compared on {@code targets} (the keys whose last change it is;
   * none: {@link Conflict#CHANGED_AGAIN_IN_TRANSACTION}), or not compared ({@code resolution} set,
   * {@code why} says why). {@code source}: the change as the journal shows it.
   */
  record Judgement(
      SourceTransaction.Row change,
      String source,
      List<Target> targets,
      String resolution,
      String why) {}

  static List<Conflict> of(
      SourceTransaction tx,
      SqlSession replica,
      Map<String, TableShape> shapes,
      RowMatch match,
      String decidedBy)
      throws SQLException {
    List<SourceTransaction.Row> rows = new ArrayList<>();
    Map<SourceTransaction.Row, Optional<TableShape>> tables = new IdentityHashMap<>();
    for (SourceTransaction.Change c : tx.changes()) {
      if (!(c instanceof SourceTransaction.Row r)) continue;
      rows.add(r);
      tables.put(r, TableShapes.of(replica, shapes, r.database(), r.table()));
    }
    List<Conflict> out = new ArrayList<>();
    Map<String, Integer> notCompared =
        new LinkedHashMap<>(); // why, how many rows (one log line each)
    for (Judgement j : judge(rows, tables::get, COMPARED_AT_MOST)) {
      String resolution = j.resolution();
      String replicaRow = null;
      if (resolution == null) {
        try {
          Compared c = compare(j.targets(), match);
          resolution = c.same() ? Conflict.ALREADY_ON_REPLICA : LOST_WITH_TRANSACTION;
          replicaRow = c.replicaRow();
        } catch (SQLException e) {
          if (SqlFailures.retryable(e)) throw e;
          resolution = Conflict.LOST_NOT_COMPARED;
          notCompared.merge(
              j.change().qualifiedTable() + ": " + SqlFailures.describe(e), 1, Integer::sum);
        }
      } else if (j.why() != null) {
        notCompared.merge(j.why(), 1, Integer::sum);
      }
      out.add(
          new Conflict(
              0,
              j.change().qualifiedTable(),
              j.change().kind().name(),
              j.source(),
              replicaRow,
              resolution,
              decidedBy));
    }
    notCompared.forEach(
        (why, n) ->
            log.info(
                "{}: {} row(s) of a skipped transaction counted as lost without"
                    + " comparing them with the replica's: {}",
                replica.where(),
                n,
                why));
    return out;
  }

  private record Compared(boolean same, String replicaRow) {}

  /**
   * The replica against each target: the same (value for value; no row where the source has none),
   * and what it has.
   */
  private static Compared compare(List<Target> targets, RowMatch match) throws SQLException {
    boolean same = true;
    List<Map<String, Object>> found = new ArrayList<>();
    for (Target t : targets) {
      if (t.row() == null) {
        List<Map<String, Object>> there = match.byKey(t.table(), t.key(), t.keyRow());
        same &= there.isEmpty();
        found.addAll(there);
      } else {
        RowMatch.Rows r = match.of(t.table(), t.row(), List.of(t.key()));
        same &= r.same();
        found.addAll(r.replica());
      }
    }
    return new Compared(same, RowMatch.json(found));
  }

  /**
   * The pure half of the rule: for each row change, in order, the keys it is judged on or why it is
   * not compared. {@code tables}: a change's table on the replica (empty: not there). Changes past
   * the first {@code comparedAtMost} to compare are not compared.
   */
  static List<Judgement> judge(
      List<SourceTransaction.Row> rows,
      Function<SourceTransaction.Row, Optional<TableShape>> tables,
      int comparedAtMost) {
    List<Judgement> out = new ArrayList<>(rows.size());
    // The last change of each key, and the source's row there after the transaction.
    Map<List<Object>, Integer> lastChange = new LinkedHashMap<>();
    Map<List<Object>, Target> finalRow = new LinkedHashMap<>();
    for (SourceTransaction.Row r : rows) {
      Optional<TableShape> shape = tables.apply(r).filter(t -> t.columns().size() == r.columns());
      String source = shape.flatMap(t -> named(t, r)).orElseGet(() -> positional(r));
      if (shape.isEmpty()) {
        out.add(
            new Judgement(
                r,
                source,
                List.of(),
                Conflict.LOST_NOT_COMPARED,
                r.qualifiedTable()
                    + (tables.apply(r).isEmpty()
                        ? " is not on the replica"
                        : " has other columns on the replica than in the"
                            + " source's row image")));
        continue;
      }
      TableShape t = shape.get();
      Object[] before;
      Object[] after;
      try {
        before = RowValues.bind(t, r.before());
        after = RowValues.bind(t, r.after());
      } catch (RowValues.Unsupported e) {
        out.add(new Judgement(r, source, List.of(), Conflict.LOST_NOT_COMPARED, e.getMessage()));
        continue;
      }
      List<String> key =
          !t.primaryKey().isEmpty()
              ? t.primaryKey()
              : t.uniqueKeys().isEmpty() ? List.of() : t.uniqueKeys().get(0);
      if (key.isEmpty()) {
        out.add(
            new Judgement(
                r,
                source,
                List.of(),
                Conflict.LOST_NO_KEY,
                r.qualifiedTable() + " has no primary or unique key on the replica"));
        continue;
      }
      List<Target> touched = new ArrayList<>(2);
      if (before != null) touched.add(new Target(t, key, null, before));
      if (after != null) touched.add(new Target(t, key, after, after));
      if (touched.stream()
          .anyMatch(
              x ->
                  Arrays.stream(RowMatch.keyValues(t, key, x.keyRow())).anyMatch(v -> v == null))) {
        out.add(
            new Judgement(
                r,
                source,
                List.of(),
                Conflict.LOST_NO_KEY,
                r.qualifiedTable() + ": its key " + key + " is NULL in the row"));
        continue;
      }
      int index = out.size();
      for (Target x : touched) {
        List<Object> id = id(t, key, x.keyRow());
        lastChange.put(id, index);
        finalRow.put(
            id, x); // an update's after image replaces its before image under an unchanged key
      }
      out.add(new Judgement(r, source, null, null, null));
    }
    int compared = 0;
    for (int i = 0; i < out.size(); i++) {
      Judgement j = out.get(i);
      if (j.resolution() != null) continue;
      List<Target> targets = new ArrayList<>();
      for (Map.Entry<List<Object>, Integer> e : lastChange.entrySet()) {
        if (e.getValue() == i) targets.add(finalRow.get(e.getKey()));
      }
      if (targets.isEmpty()) {
        out.set(
            i,
            new Judgement(
                j.change(), j.source(), List.of(), Conflict.CHANGED_AGAIN_IN_TRANSACTION, null));
      } else if (compared == comparedAtMost) {
        out.set(
            i,
            new Judgement(
                j.change(),
                j.source(),
                List.of(),
                Conflict.LOST_NOT_COMPARED,
                "the transaction"
                    + " changes more rows than the "
                    + comparedAtMost
                    + " compared with the replica"));
      } else {
        compared++;
        out.set(i, new Judgement(j.change(), j.source(), List.copyOf(targets), null, null));
      }
    }
    return out;
  }

  /**
   * A key's identity in the transaction: the table and the key's values as the journal shows them.
   */
  private static List<Object> id(TableShape t, List<String> key, Object[] row) {
    List<Object> id = new ArrayList<>();
    id.add(t.qualified());
    for (Object v : RowMatch.keyValues(t, key, row)) id.add(RowValues.shown(v));
    return id;
  }

  private static Optional<String> named(TableShape t, SourceTransaction.Row r) {
    try {
      Object[] before = RowValues.bind(t, r.before());
      Object[] after = RowValues.bind(t, r.after());
      return Optional.of(
          switch (r.kind()) {
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

  private static Map<String, Object> byPosition(Serializable[] image) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; image != null && i < image.length; i++)
      row.put("@" + (i + 1), RowValues.shown(image[i]));
    return row;
  }
}
