package dev.dbops.activities.binlog;

import dev.dbops.activities.sql.ReplicationSql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a replica table's {@link TableShape} from information_schema, through a cache the caller
 * keeps (two reads per table otherwise, on the way of every conflict) and empties when DDL may have
 * gone by ({@link SourceBinlogReader#schemaMayHaveChanged}).
 */
final class TableShapes {
  private TableShapes() {}

  /** The table's shape, or empty when the replica has no such table. */
  static Optional<TableShape> of(
      SqlSession db, Map<String, TableShape> cache, String database, String table)
      throws SQLException {
    String key = database + "." + table;
    TableShape known = cache.get(key);
    if (known != null) return Optional.of(known);
    List<TableShape.Column> columns =
        db.queryRaw(
            ReplicationSql.TABLE_COLUMNS,
            rs -> {
              List<TableShape.Column> out = new ArrayList<>();
              while (rs.next()) {
                out.add(
                    new TableShape.Column(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3) != null
                            && rs.getString(3).toLowerCase().contains("unsigned"),
                        rs.getString(4)));
              }
              return out;
            },
            database,
            table);
    if (columns.isEmpty()) return Optional.empty();
    Map<String, List<String>> keys =
        db.queryRaw(
            ReplicationSql.TABLE_UNIQUE_KEYS,
            rs -> {
              Map<String, List<String>> out = new LinkedHashMap<>();
              while (rs.next())
                out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
              return out;
            },
            database,
            table);
    TableShape t =
        new TableShape(
            database,
            table,
            columns,
            keys.getOrDefault("PRIMARY", List.of()),
            List.copyOf(keys.values()));
    cache.put(key, t);
    return Optional.of(t);
  }
}
