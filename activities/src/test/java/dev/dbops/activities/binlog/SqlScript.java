package dev.dbops.activities.binlog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A scenario's .sql file, split the way the mysql client does for files like these: statements end
 * with the delimiter at the end of a line ({@code ;} unless a {@code DELIMITER} line changes it,
 * for procedure bodies); whole-line {@code --} and {@code #} comments are dropped.
 */
final class SqlScript {
  private SqlScript() {}

  static List<String> statements(String text) {
    List<String> out = new ArrayList<>();
    String delimiter = ";";
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (current.isEmpty()
          && (trimmed.isEmpty() || trimmed.startsWith("--") || trimmed.startsWith("#"))) continue;
      if (current.isEmpty() && trimmed.toUpperCase().startsWith("DELIMITER ")) {
        delimiter = trimmed.substring("DELIMITER ".length()).strip();
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(delimiter)) {
        String sql = current.toString().strip();
        out.add(sql.substring(0, sql.length() - delimiter.length()).strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) out.add(current.toString().strip());
    return out;
  }

  static void run(Connection c, String text) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String sql : statements(text)) {
        try {
          s.execute(sql);
        } catch (SQLException e) {
          throw new SQLException(
              e.getMessage() + " — in: " + sql, e.getSQLState(), e.getErrorCode(), e);
        }
      }
    }
  }
}
