package dev.dbops.activities.sql;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks password literals in SQL text the catch-up passes on: a replicated {@code CREATE USER …
 * IDENTIFIED BY 'x'} that fails on the replica comes back in {@code Last_SQL_Error} and in the
 * relay log's event text, and from there would reach the journal, {@code status()}, the history and
 * every notice. MariaDB binlogs the statement as written (the password in clear), MySQL with the
 * hash ({@code AS '*…'} or {@code AS 0x…}), which logs in as well as the password. Pure.
 *
 * <p>Masked: the literal after {@code IDENTIFIED [WITH|VIA plugin] BY|AS|USING [PASSWORD]}, after
 * {@code USING}, inside {@code [OLD_]PASSWORD(…)}, and after {@code …PASSWORD [FOR user] =} ({@code
 * SET PASSWORD}, {@code MASTER_PASSWORD}, {@code SOURCE_PASSWORD}). A literal that does not end
 * (text cut short, or a query quoted inside an error message) is masked to the end: when unsure,
 * more is hidden, never less.
 */
public final class SqlSecrets {
  private SqlSecrets() {}

  public static final String MASK = "<redacted>";

  /**
   * A quoted string ('' and \' escapes), a hex literal, or a quoted string that runs to the end.
   */
  private static final String LITERAL =
      "(?:'(?:[^'\\\\]|\\\\.|'')*(?:'|$)|\"(?:[^\"\\\\]|\\\\.|\"\")*(?:\"|$)|0x[0-9a-f]+|x'[0-9a-f]*')";

  private static final List<Pattern> BEFORE_A_SECRET =
      List.of(
              "\\bIDENTIFIED(?:\\s+(?:WITH|VIA)\\s+\\S+)?\\s+(?:BY|AS|USING)\\s+(?:PASSWORD\\s*(?:\\(\\s*)?)?",
              "\\bUSING\\s+(?:PASSWORD\\s*\\(\\s*)?",
              "\\b\\w*PASSWORD\\s*\\(\\s*",
              "\\b\\w*PASSWORD\\s*(?:FOR\\s+[^=]+?)?=\\s*(?:PASSWORD\\s*\\(\\s*)?")
          .stream()
          .map(
              p ->
                  Pattern.compile(
                      "(" + p + ")" + LITERAL, Pattern.CASE_INSENSITIVE | Pattern.DOTALL))
          .toList();

  /** {@code text} with every password literal replaced by {@link #MASK}; null stays null. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) return text;
    String out = text;
    for (Pattern p : BEFORE_A_SECRET) {
      out = p.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }
    return out;
  }
}
