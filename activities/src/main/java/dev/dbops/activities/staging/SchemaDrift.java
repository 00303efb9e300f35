package dev.dbops.activities.staging;

import dev.dbops.activities.sql.StagingSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tables, columns and indexes of some schemas as information_schema shows them, and the differences
 * between two such pictures ({@link StagingSql} holds the queries). Schema names are bind
 * parameters, never spliced in.
 */
final class SchemaDrift {
  private SchemaDrift() {}

  /** {@code schema.table} → its columns ({@code name → type/null/default}) and indexes. */
  record Picture(
      Map<String, Map<String, String>> columns, Map<String, Map<String, String>> indexes) {}

  static Picture read(Connection c, List<String> schemas) throws SQLException {
    Map<String, Map<String, String>> columns = new TreeMap<>();
    Map<String, Map<String, String>> indexes = new TreeMap<>();
    for (String schema : schemas) {
      try (PreparedStatement ps = c.prepareStatement(StagingSql.TABLES)) {
        ps.setString(1, schema);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            columns.put(schema + "." + rs.getString(1), new TreeMap<>());
            indexes.put(schema + "." + rs.getString(1), new TreeMap<>());
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(StagingSql.COLUMNS)) {
        ps.setString(1, schema);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Map<String, String> t = columns.get(schema + "." + rs.getString(1));
            if (t == null) continue; // a view's columns
            t.put(
                rs.getString(2),
                rs.getString(3)
                    + ("YES".equals(rs.getString(4)) ? " null" : " not null")
                    + (rs.getString(5) == null ? "" : " default " + rs.getString(5)));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(StagingSql.INDEX_COLUMNS)) {
        ps.setString(1, schema);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Map<String, String> t = indexes.get(schema + "." + rs.getString(1));
            if (t == null) continue;
            String prefix = rs.getInt(3) == 0 ? "unique(" : "(";
            t.merge(
                rs.getString(2),
                prefix + rs.getString(4) + ")",
                (a, b) -> a.substring(0, a.length() - 1) + "," + b.substring(b.indexOf('(') + 1));
          }
        }
      }
    }
    return new Picture(columns, indexes);
  }

  /**
   * One line per difference, source first: {@code app.users: column phone varchar(32) not null ->
   * varchar(64) not null}, {@code app.users: column nickname varchar(40) null only in the copy},
   * {@code app.users: index users_phone (phone) missing in the copy}, {@code app.audit: table
   * missing in the copy}.
   */
  static List<String> compare(Picture source, Picture copy) {
    List<String> out = new ArrayList<>();
    TreeSet<String> tables = new TreeSet<>(source.columns().keySet());
    tables.addAll(copy.columns().keySet());
    for (String t : tables) {
      if (!copy.columns().containsKey(t)) {
        out.add(t + ": table missing in the copy");
        continue;
      }
      if (!source.columns().containsKey(t)) {
        out.add(t + ": table only in the copy");
        continue;
      }
      diff(out, t, "column", source.columns().get(t), copy.columns().get(t));
      diff(out, t, "index", source.indexes().get(t), copy.indexes().get(t));
    }
    return out;
  }

  private static void diff(
      List<String> out, String table, String what, Map<String, String> a, Map<String, String> b) {
    TreeSet<String> names = new TreeSet<>(a.keySet());
    names.addAll(b.keySet());
    for (String n : names) {
      String x = a.get(n);
      String y = b.get(n);
      if (x == null) out.add(table + ": " + what + " " + n + " " + y + " only in the copy");
      else if (y == null) out.add(table + ": " + what + " " + n + " " + x + " missing in the copy");
      else if (!Objects.equals(x, y)) out.add(table + ": " + what + " " + n + " " + x + " -> " + y);
    }
  }
}
