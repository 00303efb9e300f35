package dev.dbops.workflows.common;

/**
 * The one escaping function for everything dbops shows a person: the CLI's output (status, watch,
 * list, result, plan, report in every format), chat and log notices, refusal messages. Text a user
 * or a system supplied (a comment, a reason, a name, an error message, a key) can hold characters
 * that rewrite what a reader sees: a newline that forges a line ({@code ok\n 12:00 approved by
 * dave}), an ANSI escape that clears the screen, a bidi override (U+202E) that reverses a name.
 * Each such character is written as a visible escape instead.
 *
 * <p>Escaped: C0 controls and DEL and C1 controls (Unicode category Cc, with {@code \n}, {@code
 * \r}, {@code \t} written as such), format characters (Cf: bidi embeddings and overrides, isolates,
 * zero-width characters, the BOM), and the line and paragraph separators U+2028 / U+2029.
 * Everything else, including any other non-ASCII text, is kept. Escapes have the JSON form
 * backslash-u-XXXX (surrogate pairs beyond the BMP), so JSON text passed through {@link
 * #escapeKeepingLines} stays valid JSON with the same meaning.
 */
public final class Printable {
  private Printable() {}

  /** {@code text} with every control, format and separator character escaped; null stays null. */
  public static String escape(String text) {
    return escape(text, false);
  }

  /**
   * As {@link #escape} but a {@code \n} is kept: for a whole output stream, whose line structure is
   * its own; values inside it are escaped with {@link #escape} where they are put together.
   */
  public static String escapeKeepingLines(String text) {
    return escape(text, true);
  }

  /** Whether {@code text} holds a character {@link #escape} would change. */
  public static boolean needsEscape(String text) {
    return text != null && !escape(text).equals(text);
  }

  private static String escape(String text, boolean keepNewlines) {
    if (text == null) return null;
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String rep = null;
      int width = 1;
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, text.charAt(i + 1));
        width = 2;
        if (Character.getType(cp) == Character.FORMAT) rep = unit(c) + unit(text.charAt(i + 1));
      } else if (c == '\n') {
        rep = keepNewlines ? null : "\\n";
      } else if (c == '\r') {
        rep = "\\r";
      } else if (c == '\t') {
        rep = "\\t";
      } else if (c < 0x20
          || (c >= 0x7f && c <= 0x9f)
          || c == '\u2028'
          || c == '\u2029'
          || Character.isSurrogate(c)
          || Character.getType(c) == Character.FORMAT) {
        rep = unit(c);
      }
      if (rep != null && sb == null) sb = new StringBuilder(text.length() + 16).append(text, 0, i);
      if (sb != null) {
        if (rep != null) sb.append(rep);
        else sb.append(text, i, i + width);
      }
      i += width - 1;
    }
    return sb == null ? text : sb.toString();
  }

  private static String unit(char c) {
    return String.format("\\u%04X", (int) c);
  }
}
