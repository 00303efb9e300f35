package dev.dbops.workflows.sql;

/**
 * The one MySQL lexer dbops reads user SQL with: check SQL ({@link CheckSql}) and masking scripts
 * ({@link SqlScript}). Pure code, no I/O, so request validation in the CLI, in the workflow and in
 * the activities reads a text the same way.
 *
 * <p>It reads SQL as a server with the default {@code sql_mode} does — the activities that run user
 * SQL clear {@code NO_BACKSLASH_ESCAPES} and {@code ANSI_QUOTES} from their session so the server
 * reads it the same way:
 *
 * <ul>
 *   <li>{@code '…'} and {@code "…"}: strings; a backslash escapes the next character, a doubled
 *       quote is one quote;
 *   <li>{@code `…`}: a quoted identifier; a doubled backtick is one backtick;
 *   <li>{@code -- } (two dashes then whitespace or the end), {@code #} to the end of the line, and
 *       {@code /* … *}{@code /}: comments ({@code --1} is minus minus one, not a comment);
 *   <li>{@code /*! … *}{@code /}, {@code /*M! … *}{@code /} and {@code /*+ … *}{@code /}: comments
 *       the server runs (versioned code, optimizer hints) — {@link Kind#EXECUTABLE}, never a
 *       comment;
 *   <li>the delimiter ({@code ;} unless a script's {@code DELIMITER} changed it), wherever it
 *       starts outside the above, even inside a word ({@code END$$} with delimiter {@code $$});
 *   <li>words: letters, digits, {@code _}, {@code $} and any non-ASCII character; everything else
 *       is a one-character symbol but {@code :=}.
 * </ul>
 */
public final class SqlLexer {
  private SqlLexer() {}

  /** What a token is. */
  public enum Kind {
    WORD,
    QUOTED_IDENTIFIER,
    STRING,
    SPACE,
    COMMENT,
    EXECUTABLE,
    DELIMITER,
    SYMBOL;

    /** Whether the server reads it as part of the statement (not whitespace or a comment). */
    public boolean isCode() {
      return this != SPACE && this != COMMENT;
    }
  }

  /** {@code text} is {@code sql.substring(start, end)}. */
  public record Token(Kind kind, String text, int start, int end) {
    public boolean isWord(String upper) {
      return kind == Kind.WORD && text.equalsIgnoreCase(upper);
    }

    public boolean isSymbol(String s) {
      return kind == Kind.SYMBOL && text.equals(s);
    }
  }

  /** Unterminated string, identifier or comment: the text cannot be read as SQL. */
  public static final class Unreadable extends IllegalArgumentException {
    public Unreadable(String message) {
      super(message);
    }
  }

  /**
   * The token starting at {@code pos} ({@code pos < sql.length()}).
   *
   * @throws Unreadable for an unterminated string, quoted identifier or block comment
   */
  public static Token next(String sql, int pos, String delimiter) {
    if (sql.startsWith(delimiter, pos))
      return token(sql, Kind.DELIMITER, pos, pos + delimiter.length());
    char c = sql.charAt(pos);
    if (c == '\'' || c == '"') return token(sql, Kind.STRING, pos, quoted(sql, pos, c, true));
    if (c == '`') return token(sql, Kind.QUOTED_IDENTIFIER, pos, quoted(sql, pos, c, false));
    if (c == '#'
        || (c == '-'
            && sql.startsWith("--", pos)
            && (pos + 2 == sql.length() || space(sql.charAt(pos + 2))))) {
      int nl = sql.indexOf('\n', pos);
      return token(sql, Kind.COMMENT, pos, nl < 0 ? sql.length() : nl);
    }
    if (c == '/' && sql.startsWith("/*", pos)) {
      int close = sql.indexOf("*/", pos + 2);
      if (close < 0) throw new Unreadable("unterminated /* comment starting at " + where(sql, pos));
      boolean executable =
          sql.startsWith("/*!", pos) || sql.startsWith("/*M!", pos) || sql.startsWith("/*+", pos);
      return token(sql, executable ? Kind.EXECUTABLE : Kind.COMMENT, pos, close + 2);
    }
    if (space(c)) {
      int end = pos + 1;
      while (end < sql.length() && space(sql.charAt(end)) && !sql.startsWith(delimiter, end)) end++;
      return token(sql, Kind.SPACE, pos, end);
    }
    if (wordChar(c)) {
      int end = pos + 1;
      while (end < sql.length() && wordChar(sql.charAt(end)) && !sql.startsWith(delimiter, end))
        end++;
      return token(sql, Kind.WORD, pos, end);
    }
    if (c == ':' && sql.startsWith(":=", pos) && !delimiter.startsWith("="))
      return token(sql, Kind.SYMBOL, pos, pos + 2);
    return token(sql, Kind.SYMBOL, pos, pos + 1);
  }

  /**
   * Refuses a NUL character anywhere: the server ends a {@code --} or {@code #} comment at one,
   * where this lexer (and the mysql client) would not.
   *
   * @throws Unreadable naming where it is
   */
  public static void requireNoNul(String sql) {
    int nul = sql.indexOf('\0');
    if (nul >= 0) throw new Unreadable("a NUL character at " + where(sql, nul));
  }

  /** {@code line L, column C} (1-based) of offset {@code pos}, for messages. */
  public static String where(String sql, int pos) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < pos && i < sql.length(); i++) {
      if (sql.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return "line " + line + ", column " + (pos - lineStart + 1);
  }

  static boolean space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
  }

  static boolean wordChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '$'
        || c >= 0x80;
  }

  /** The end (exclusive) of the quoted text opened by {@code quote} at {@code pos}. */
  private static int quoted(String sql, int pos, char quote, boolean backslashEscapes) {
    int i = pos + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    String what = quote == '`' ? "quoted identifier (`)" : "string (" + quote + ")";
    throw new Unreadable("unterminated " + what + " starting at " + where(sql, pos));
  }

  private static Token token(String sql, Kind kind, int start, int end) {
    return new Token(kind, sql.substring(start, end), start, end);
  }
}
