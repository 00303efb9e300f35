package dev.dbops.workflows.sql;

import dev.dbops.workflows.sql.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;

/**
 * A script (the staging masking SQL) split into statements by {@link SqlLexer} the way the {@code
 * mysql} client reads a file:
 *
 * <ul>
 *   <li>a statement ends at the delimiter outside strings, quoted identifiers and comments, so a
 *       {@code ;} or a line break inside a string literal stays in it, byte for byte;
 *   <li>{@code DELIMITER xx} (any case, where a word may start outside strings and comments) ends a
 *       statement still open and changes the delimiter to the first word after it, up to the next
 *       {@code DELIMITER} ({@code DELIMITER //} … {@code END //} … {@code DELIMITER ;});
 *   <li>comments are dropped (the client's default, {@code --skip-comments}); comments the server
 *       runs ({@code /*!}, {@code /*M!}, {@code /*+}) are code and kept;
 *   <li>a statement is normalised only outside strings and identifiers: a run of blanks holding a
 *       line break becomes one {@code \n}, blanks at its ends are dropped — so its hash names what
 *       runs, whatever the file's comments, blank lines and indentation.
 * </ul>
 *
 * Refused ({@link IllegalArgumentException} saying where): an unterminated string, identifier or
 * comment; a NUL character; a delimiter, quote or backtick inside a {@code /*!} comment (the client
 * and the server would cut it differently); a client command other than {@code DELIMITER} ({@code
 * \g}, {@code \d}, … — a backslash outside a string); an empty {@code DELIMITER} or one with a
 * quote or backslash.
 */
public final class SqlScript {
  private SqlScript() {}

  /** The statements of {@code text}, in order, normalised as above. */
  public static List<String> split(String text) {
    SqlLexer.requireNoNul(text);
    List<String> out = new ArrayList<>();
    String delimiter = ";";
    Statement cur = new Statement();
    int pos = 0;
    while (pos < text.length()) {
      if (delimiterCommand(text, pos)) {
        // As the client does: a statement still open is sent as it stands, then the rest of the
        // line is the command's argument.
        if (!cur.isEmpty()) out.add(cur.text());
        cur = new Statement();
        int lineEnd = text.indexOf('\n', pos);
        if (lineEnd < 0) lineEnd = text.length();
        delimiter = newDelimiter(text, pos, lineEnd);
        pos = lineEnd;
        continue;
      }
      Token t = SqlLexer.next(text, pos, delimiter);
      pos = t.end();
      switch (t.kind()) {
        case DELIMITER -> {
          if (!cur.isEmpty()) out.add(cur.text());
          cur = new Statement();
        }
        case EXECUTABLE -> {
          String inner = t.text();
          if (inner.contains(delimiter)
              || inner.indexOf('\'') >= 0
              || inner.indexOf('"') >= 0
              || inner.indexOf('`') >= 0) {
            throw new IllegalArgumentException(
                "the /*! comment at "
                    + SqlLexer.where(text, t.start())
                    + " holds a delimiter or a quote; the mysql client and the server would cut it differently");
          }
          cur.code(t);
        }
        case SYMBOL -> {
          if (t.text().equals("\\")) {
            throw new IllegalArgumentException(
                "'\\' at "
                    + SqlLexer.where(text, t.start())
                    + " outside a string: mysql client commands (\\g, \\d, …) are not supported; use DELIMITER");
          }
          cur.code(t);
        }
        case SPACE -> cur.space(t.text());
        case COMMENT -> cur.comment();
        default -> cur.code(t);
      }
    }
    if (!cur.isEmpty()) out.add(cur.text());
    return out;
  }

  /** {@code DELIMITER} (any case) then a blank, at {@code pos}. */
  private static boolean delimiterCommand(String text, int pos) {
    return text.regionMatches(true, pos, "DELIMITER", 0, 9)
        && pos + 9 < text.length()
        && (text.charAt(pos + 9) == ' ' || text.charAt(pos + 9) == '\t');
  }

  /** The first word after {@code DELIMITER} on its line. */
  private static String newDelimiter(String text, int pos, int lineEnd) {
    String arg = text.substring(pos + 9, lineEnd).strip();
    int blank = 0;
    while (blank < arg.length() && !SqlLexer.space(arg.charAt(blank))) blank++;
    arg = arg.substring(0, blank);
    if (arg.isEmpty()
        || arg.contains("\\")
        || arg.contains("'")
        || arg.contains("\"")
        || arg.contains("`")) {
      throw new IllegalArgumentException(
          "DELIMITER at "
              + SqlLexer.where(text, pos)
              + ": give a delimiter without quotes or backslashes, like // or $$");
    }
    return arg;
  }

  /** A statement being read: code tokens kept as they are, blanks and comments normalised. */
  private static final class Statement {
    private final StringBuilder sb = new StringBuilder();
    private final StringBuilder blanks = new StringBuilder();
    private boolean commentSinceCode;

    boolean isEmpty() {
      return sb.isEmpty();
    }

    void code(Token t) {
      if (!sb.isEmpty()) {
        if (blanks.indexOf("\n") >= 0) {
          sb.append('\n');
        } else if (!blanks.isEmpty()) {
          sb.append(blanks);
        } else if (commentSinceCode) {
          sb.append(' ');
        }
      }
      blanks.setLength(0);
      commentSinceCode = false;
      sb.append(t.text());
    }

    void space(String s) {
      blanks.append(s.replace("\r", ""));
    }

    void comment() {
      commentSinceCode = true;
    }

    String text() {
      return sb.toString();
    }
  }
}
