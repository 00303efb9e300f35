package dev.dbops.workflows.upgrade;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL text of the in-place upgrade's pre-checks and verification, and the pure functions that
 * read their answers. No I/O: {@code MySqlCheckActivitiesImpl} runs these.
 */
public final class UpgradeSql {
  private UpgradeSql() {}

  public static final String VERSION = "SELECT VERSION()";

  /** Prepared XA transactions: an in-place upgrade is cancelled while any exist. */
  public static final String XA_RECOVER = "XA RECOVER";

  /** Statements running now, except this session; DDL is picked out by {@link #isDdl}. */
  public static final String RUNNING_STATEMENTS =
      "SELECT ID, USER, TIME, INFO FROM information_schema.PROCESSLIST"
          + " WHERE INFO IS NOT NULL AND COMMAND <> 'Sleep' AND ID <> CONNECTION_ID()"
          + " ORDER BY TIME DESC";

  /** The open transaction that modified the most rows: the upgrade rolls it back. */
  public static final String LARGEST_TRX =
      "SELECT trx_id, trx_rows_modified FROM information_schema.INNODB_TRX"
          + " ORDER BY trx_rows_modified DESC LIMIT 1";

  /**
   * History list length from the InnoDB metrics table; a disabled counter reads 0, so whether it is
   * enabled comes along ({@link #metricEnabled}: MySQL has a STATUS column, MariaDB ENABLED).
   * Enabling it would change server settings, which a pre-check must not do: {@link #INNODB_STATUS}
   * is the fallback.
   */
  public static final String HISTORY_LIST_LENGTH =
      "SELECT * FROM information_schema.INNODB_METRICS WHERE NAME = 'trx_rseg_history_len'";

  public static final String INNODB_STATUS = "SHOW ENGINE INNODB STATUS";

  private static final Pattern DDL =
      Pattern.compile("^(ALTER|CREATE|DROP|RENAME|TRUNCATE|OPTIMIZE)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern LEADING_COMMENTS =
      Pattern.compile("^(\\s+|/\\*.*?\\*/|(--\\s|#)[^\\n]*(\\n|$))+", Pattern.DOTALL);
  private static final Pattern HISTORY_LIST = Pattern.compile("History list length\\s+(\\d+)");

  /** Longest statement text a report line quotes. */
  public static final int STATEMENT_CHARS = 200;

  /**
   * True for statement text that Aurora's upgrade treats as DDL in flight: ALTER, CREATE, DROP,
   * RENAME, TRUNCATE, OPTIMIZE, after any leading whitespace and comments.
   */
  public static boolean isDdl(String statement) {
    if (statement == null) return false;
    return DDL.matcher(LEADING_COMMENTS.matcher(statement).replaceFirst("")).find();
  }

  /**
   * Whether an INNODB_METRICS row's counter is on, from MySQL's {@code STATUS} ("enabled" /
   * "disabled") or MariaDB's {@code ENABLED} (1 / 0); null values mean the column is absent.
   */
  public static boolean metricEnabled(String status, String enabled) {
    if (status != null) return "enabled".equalsIgnoreCase(status.strip());
    return enabled != null && "1".equals(enabled.strip());
  }

  /** {@code History list length N} from SHOW ENGINE INNODB STATUS, if present. */
  public static OptionalLong historyListLength(String innodbStatus) {
    if (innodbStatus == null) return OptionalLong.empty();
    Matcher m = HISTORY_LIST.matcher(innodbStatus);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  /**
   * One XA RECOVER row as a report line: {@code formatID=1 gtrid='x' bqual=''}, the parts shown as
   * text when printable and as hex otherwise (they are arbitrary bytes), plus the statement that
   * would roll it back.
   */
  public static String xaLine(long formatId, int gtridLength, int bqualLength, byte[] data) {
    int g = Math.max(0, Math.min(gtridLength, data.length));
    int b = Math.max(0, Math.min(bqualLength, data.length - g));
    byte[] gtrid = java.util.Arrays.copyOfRange(data, 0, g);
    byte[] bqual = java.util.Arrays.copyOfRange(data, g, g + b);
    return "formatID="
        + formatId
        + " gtrid="
        + show(gtrid)
        + " bqual="
        + show(bqual)
        + " (XA ROLLBACK X'"
        + hex(gtrid)
        + "',X'"
        + hex(bqual)
        + "',"
        + formatId
        + ")";
  }

  /** A processlist row as a report line: {@code id=12 user=app time=30s: ALTER TABLE …}. */
  public static String statementLine(long id, String user, long timeSeconds, String statement) {
    return "id=" + id + " user=" + user + " time=" + timeSeconds + "s: " + shorten(statement);
  }

  /** One line, at most {@link #STATEMENT_CHARS} characters. */
  public static String shorten(String statement) {
    String oneLine = statement == null ? "" : statement.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= STATEMENT_CHARS
        ? oneLine
        : oneLine.substring(0, STATEMENT_CHARS - 1) + "…";
  }

  private static String show(byte[] part) {
    String text = new String(part, StandardCharsets.UTF_8);
    boolean printable = text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    return printable ? "'" + text.replace("'", "''") + "'" : "X'" + hex(part) + "'";
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte x : bytes) sb.append(String.format(Locale.ROOT, "%02X", x));
    return sb.toString();
  }
}
