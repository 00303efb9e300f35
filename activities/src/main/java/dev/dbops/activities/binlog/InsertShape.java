package dev.dbops.activities.binlog;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an INSERT / REPLACE statement of a statement event inserts, as far as splitting a conflict
 * out of it is concerned: exactly one row ({@code VALUES (…)} with one tuple, or {@code SET …}) can
 * be left out or replaced on its own; several rows, {@code INSERT … SELECT}, {@code ON DUPLICATE
 * KEY UPDATE} or anything not understood cannot. Pure; quotes, backticks and comments are respected
 * when counting tuples.
 *
 * @param table the target as written ({@code app.orders}, {@code `orders`}), null when not one row
 * @param rest the statement after the target (column list and values), to insert the same row
 *     elsewhere
 */
record InsertShape(boolean singleRow, String table, String rest) {
  private static final String IDENT = "(?:`(?:[^`]|``)+`|[A-Za-z0-9_$]+)";
  private static final Pattern HEAD =
      Pattern.compile(
          "^\\s*(?:INSERT|REPLACE)\\s+(?:(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE)\\s+)*(?:INTO\\s+)?("
              + IDENT
              + "(?:\\s*\\.\\s*"
              + IDENT
              + ")?)\\s*(.*)$",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  static final InsertShape NOT_ONE_ROW = new InsertShape(false, null, null);
  private static final Pattern DML =
      Pattern.compile(
          "^(?:\\s|/\\*.*?\\*/)*(INSERT|UPDATE|DELETE|REPLACE)\\b",
          Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

  /**
   * INSERT, UPDATE, DELETE or REPLACE (after comments): what may be applied inside our transaction.
   */
  static boolean isDml(String sql) {
    return DML.matcher(sql).find();
  }

  static InsertShape of(String sql) {
    Matcher m = HEAD.matcher(sql);
    if (!m.matches()) return NOT_ONE_ROW;
    String rest = m.group(2);
    int i = 0;
    String upper = rest.toUpperCase(Locale.ROOT);
    if (upper.startsWith("PARTITION")) return NOT_ONE_ROW;
    if (rest.startsWith("(")) {
      int end = closing(rest, 0);
      if (end < 0) return NOT_ONE_ROW;
      i = end + 1;
    }
    String after = rest.substring(i).stripLeading();
    String afterUpper = after.toUpperCase(Locale.ROOT);
    if (afterUpper.startsWith("SET ") || afterUpper.startsWith("SET\n")) {
      return afterUpper.contains(" ON DUPLICATE KEY ") || afterUpper.contains("SELECT")
          ? NOT_ONE_ROW
          : new InsertShape(true, m.group(1), rest);
    }
    Matcher values = Pattern.compile("^VALUES?\\s*", Pattern.CASE_INSENSITIVE).matcher(after);
    if (!values.find()) return NOT_ONE_ROW; // INSERT … SELECT, TABLE, …
    String tuples = after.substring(values.end());
    if (!tuples.startsWith("(")) return NOT_ONE_ROW;
    int end = closing(tuples, 0);
    if (end < 0) return NOT_ONE_ROW;
    String tail = tuples.substring(end + 1).strip();
    if (tail.endsWith(";")) tail = tail.substring(0, tail.length() - 1).strip();
    return tail.isEmpty() ? new InsertShape(true, m.group(1), rest) : NOT_ONE_ROW;
  }

  /**
   * Index of the parenthesis closing the one at {@code open}, skipping quoted text and comments; -1
   * if none.
   */
  private static int closing(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        i = skipQuoted(s, i, c);
        if (i < 0) return -1;
      } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
        int close = s.indexOf("*/", i + 2);
        if (close < 0) return -1;
        i = close + 1;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        if (--depth == 0) return i;
      }
    }
    return -1;
  }

  private static int skipQuoted(String s, int start, char quote) {
    for (int i = start + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && quote != '`') {
        i++;
      } else if (c == quote) {
        if (i + 1 < s.length() && s.charAt(i + 1) == quote) i++;
        else return i;
      }
    }
    return -1;
  }
}
