package dev.dbops.workflows.sql;

import dev.dbops.workflows.sql.SqlLexer.Kind;
import dev.dbops.workflows.sql.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * SQL a user gives as a check (a masking verification query, an upgrade's smoke SQL): exactly one
 * read-only statement, read by {@link SqlLexer}. The one rule, used by request validation (CLI and
 * workflow) and again by the activity that runs it — which also runs it in a read-only transaction,
 * so a write that gets past this rule (a stored function that writes) is refused by the server.
 *
 * <p>A check is refused when:
 *
 * <ul>
 *   <li>the lexer cannot read it (an unterminated string, identifier or comment; a NUL character);
 *   <li>it holds no statement or more than one (one trailing {@code ;} is fine);
 *   <li>it holds a comment the server runs ({@code /*!}, {@code /*M!}, {@code /*+}): whether its
 *       content runs depends on the server's version, so its meaning cannot be judged here;
 *   <li>its first keyword is not {@code SELECT}, {@code SHOW}, {@code TABLE}, {@code VALUES} or
 *       {@code WITH} (whose main statement must then be one of the first four); a parenthesised
 *       query is judged by its first keyword. {@code EXPLAIN} / {@code DESCRIBE} are refused
 *       ({@code EXPLAIN ANALYZE} and MariaDB's {@code ANALYZE} run the statement): use {@code SHOW
 *       COLUMNS};
 *   <li>it takes locks or writes anywhere: {@code INTO} (OUTFILE, DUMPFILE, variables), {@code FOR
 *       UPDATE}, {@code FOR SHARE}, {@code LOCK IN SHARE MODE}, {@code PROCEDURE} (ANALYSE; {@code
 *       SHOW PROCEDURE STATUS} is a read), {@code NEXT VALUE FOR}, the assignment {@code :=};
 *   <li>it calls a built-in function with an effect outside the query: {@link #EFFECT_FUNCTIONS}
 *       (waits, named locks, server files, sequence changes).
 * </ul>
 *
 * Words are matched outside strings, quoted identifiers and comments, case-insensitively; a word
 * right after {@code .} is a qualified name, not a keyword ({@code t.lock} is a column). An
 * unquoted column named like a refused keyword must be quoted ({@code `lock`}).
 */
public final class CheckSql {
  private CheckSql() {}

  static final Set<String> FIRST_WORDS = Set.of("SELECT", "SHOW", "TABLE", "VALUES", "WITH");
  static final Set<String> QUERY_WORDS = Set.of("SELECT", "TABLE", "VALUES");

  /** Words that make a read lock, write or export, wherever they stand. */
  static final Set<String> REFUSED_WORDS = Set.of("INTO", "LOCK", "PROCEDURE");

  /** Built-in functions with an effect beyond reading: refused when followed by {@code (}. */
  public static final Set<String> EFFECT_FUNCTIONS =
      Set.of(
          "SLEEP",
          "BENCHMARK",
          "GET_LOCK",
          "RELEASE_LOCK",
          "RELEASE_ALL_LOCKS",
          "LOAD_FILE",
          "MASTER_POS_WAIT",
          "MASTER_GTID_WAIT",
          "SOURCE_POS_WAIT",
          "WAIT_FOR_EXECUTED_GTID_SET",
          "WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS",
          "NEXTVAL",
          "SETVAL",
          "SYS_EXEC",
          "SYS_EVAL");

  /** Why {@code sql} is no read-only check, or null when it is one. */
  public static String problem(String sql) {
    try {
      statement(sql);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /**
   * The one statement of {@code sql}, as given but without a trailing delimiter and the blanks or
   * comments after it: the text to send to the server.
   *
   * @throws IllegalArgumentException saying why it is no read-only check
   */
  public static String statement(String sql) {
    if (sql == null || sql.isBlank()) throw new IllegalArgumentException("empty: give one SELECT");
    SqlLexer.requireNoNul(sql);
    List<Token> code = new ArrayList<>();
    int end = -1;
    for (int pos = 0; pos < sql.length(); ) {
      Token t = SqlLexer.next(sql, pos, ";");
      pos = t.end();
      if (t.kind() == Kind.EXECUTABLE) {
        throw new IllegalArgumentException(
            "'"
                + shorten(t.text())
                + "' at "
                + SqlLexer.where(sql, t.start())
                + " is a comment the server runs; not allowed in check SQL");
      }
      if (t.kind() == Kind.DELIMITER) {
        if (code.isEmpty())
          throw new IllegalArgumentException(
              "';' at " + SqlLexer.where(sql, t.start()) + " before any statement");
        if (end < 0) end = t.start();
        continue;
      }
      if (!t.kind().isCode()) continue;
      if (end >= 0) {
        throw new IllegalArgumentException(
            "more than one statement: '"
                + shorten(sql.substring(t.start()))
                + "' follows the ';' at "
                + SqlLexer.where(sql, end)
                + "; give each check on its own");
      }
      code.add(t);
    }
    if (code.isEmpty()) throw new IllegalArgumentException("no SQL statement, only comments");
    judge(code);
    return sql.substring(0, end < 0 ? sql.length() : end).strip();
  }

  private static void judge(List<Token> code) {
    String main = mainWord(code);
    if (main == null || !FIRST_WORDS.contains(main) || "WITH".equals(main)) {
      throw new IllegalArgumentException(
          "must be a read: a SELECT, SHOW, TABLE, VALUES or WITH … SELECT, not "
              + (main == null ? "'" + code.get(0).text() + "'" : main));
    }
    for (int i = 0; i < code.size(); i++) {
      Token t = code.get(i);
      boolean qualified = i > 0 && code.get(i - 1).isSymbol(".");
      Token next = i + 1 < code.size() ? code.get(i + 1) : null;
      if (t.isSymbol(":="))
        throw new IllegalArgumentException("':=' assigns a variable; a check only reads");
      if (t.kind() == Kind.SYMBOL && t.text().equals("\\")) {
        throw new IllegalArgumentException("'\\' outside a string is no SQL");
      }
      if (t.kind() != Kind.WORD || qualified) continue;
      String w = t.text().toUpperCase(Locale.ROOT);
      if (REFUSED_WORDS.contains(w) && !(main.equals("SHOW") && w.equals("PROCEDURE"))) {
        throw new IllegalArgumentException(
            "'"
                + t.text()
                + "' locks, writes or exports; a check only reads"
                + " (quote a column of that name: `"
                + t.text()
                + "`)");
      }
      if (w.equals("FOR") && next != null && (next.isWord("UPDATE") || next.isWord("SHARE"))) {
        throw new IllegalArgumentException(
            "'FOR " + next.text().toUpperCase(Locale.ROOT) + "' locks rows; a check only reads");
      }
      if (w.equals("NEXT") && next != null && next.isWord("VALUE")) {
        throw new IllegalArgumentException(
            "'NEXT VALUE FOR' advances a sequence; a check only reads");
      }
      if (EFFECT_FUNCTIONS.contains(w) && next != null && next.isSymbol("(")) {
        throw new IllegalArgumentException(
            w
                + "() acts beyond reading (waits, locks, files or sequences);"
                + " a check only reads");
      }
    }
  }

  /**
   * The statement's keyword: the first word, past opening parentheses; for {@code WITH}, the word
   * after its common table expressions (or {@code WITH} when there is none to be found).
   */
  static String mainWord(List<Token> code) {
    int i = 0;
    while (i < code.size() && code.get(i).isSymbol("(")) i++;
    if (i == code.size() || code.get(i).kind() != Kind.WORD) return null;
    String first = code.get(i).text().toUpperCase(Locale.ROOT);
    if (!first.equals("WITH")) return first;
    i++;
    if (i < code.size() && code.get(i).isWord("RECURSIVE")) i++;
    while (i < code.size()) {
      i++; // the name
      if (i < code.size() && code.get(i).isSymbol("(")) i = afterParens(code, i);
      if (i >= code.size() || !code.get(i).isWord("AS")) return "WITH";
      i++;
      if (i >= code.size() || !code.get(i).isSymbol("(")) return "WITH";
      i = afterParens(code, i);
      if (i < code.size() && code.get(i).isSymbol(",")) {
        i++;
        continue;
      }
      while (i < code.size() && code.get(i).isSymbol("(")) i++;
      if (i < code.size() && code.get(i).kind() == Kind.WORD) {
        String w = code.get(i).text().toUpperCase(Locale.ROOT);
        return QUERY_WORDS.contains(w) ? w : w + " (after WITH)";
      }
      return "WITH";
    }
    return "WITH";
  }

  /** The index after the parenthesis closing the one at {@code open}. */
  private static int afterParens(List<Token> code, int open) {
    int depth = 0;
    for (int i = open; i < code.size(); i++) {
      if (code.get(i).isSymbol("(")) depth++;
      if (code.get(i).isSymbol(")") && --depth == 0) return i + 1;
    }
    return code.size();
  }

  static String shorten(String s) {
    String one = s.strip().replaceAll("\\s+", " ");
    return one.length() <= 40 ? one : one.substring(0, 39) + "…";
  }
}
