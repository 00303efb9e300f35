package dev.dbops.activities.binlog;

import dev.dbops.activities.sql.ReplicationSql;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica table as information_schema describes it: columns in their order (a row image names
 * none), the primary key and the other unique keys. Row changes are applied by primary key.
 */
record TableShape(
    String database,
    String table,
    List<Column> columns,
    List<String> primaryKey,
    List<List<String>> uniqueKeys) {

  /**
   * @param dataType information_schema DATA_TYPE (int, varchar, datetime, …)
   * @param unsigned COLUMN_TYPE says unsigned
   * @param charset CHARACTER_SET_NAME, null for non-character columns
   */
  record Column(String name, String dataType, boolean unsigned, String charset) {}

  int index(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(column)) return i;
    }
    return -1;
  }

  List<String> names() {
    List<String> out = new ArrayList<>(columns.size());
    for (Column c : columns) out.add(c.name());
    return out;
  }

  String qualified() {
    return ReplicationSql.quoted(database) + "." + ReplicationSql.quoted(table);
  }
}
