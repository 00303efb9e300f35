package dev.dbops.activities.binlog;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one adapter for a replica's GTID state, MySQL's and MariaDB's (docs/procedures.md, binlog
 * step 8). Pure: it reads the columns of a {@code SHOW SLAVE STATUS} row (and MariaDB's
 * {@code @@gtid_slave_pos}, which that row lacks) as they are given.
 *
 * <ul>
 *   <li>MySQL: {@code Auto_Position} (1: positioned by GTID), {@code Executed_Gtid_Set}, {@code
 *       Retrieved_Gtid_Set}, {@code Master_UUID}.
 *   <li>MariaDB: {@code Using_Gtid} ({@code No}, {@code Slave_Pos}, {@code Current_Pos}), {@code
 *       Gtid_IO_Pos} (received), {@code @@global.gtid_slave_pos} (executed).
 * </ul>
 *
 * <p>The GTID of the transaction the SQL thread stopped on ({@link #failing}) comes from the
 * group's own GTID event when it was read (MariaDB {@code Gtid "BEGIN GTID 0-1-6"}, MySQL {@code
 * Gtid "SET @@SESSION.GTID_NEXT= 'uuid:23'"}, or the binlog reader's {@code GTID} line); else, on
 * MySQL, from the sets, as RDS's documentation derives it: the first transaction of the source's
 * UUID that was retrieved and not executed.
 *
 * @param flavor {@link #MYSQL}, {@link #MARIADB}, or {@link #NONE} (a server without GTIDs)
 * @param positioned replication is positioned by GTID (auto-position / MASTER_USE_GTID): a skip
 *     goes through {@code mysql.rds_skip_transaction_with_gtid}
 * @param executed the GTIDs the replica executed (MySQL set; MariaDB gtid_slave_pos); null unknown
 * @param received the GTIDs it received (MySQL Retrieved_Gtid_Set; MariaDB Gtid_IO_Pos); null
 *     unknown
 * @param sourceUuid MySQL's Master_UUID; null on MariaDB
 */
record GtidState(
    String flavor, boolean positioned, String executed, String received, String sourceUuid) {
  static final String MYSQL = "MYSQL";
  static final String MARIADB = "MARIADB";
  static final String NONE = "NONE";
  static final GtidState ABSENT = new GtidState(NONE, false, null, null, null);

  /** {@code 0-1-6} (domain-server-sequence), as MariaDB writes a GTID. */
  private static final Pattern MARIADB_GTID = Pattern.compile("\\bGTID (\\d+-\\d+-\\d+)\\b");

  private static final String UUID =
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

  /** {@code 3e11fa47-71ca-11e1-9e33-c80aa9429562:23}, as MySQL writes one GTID. */
  private static final Pattern MYSQL_GTID = Pattern.compile("(" + UUID + "):(\\d+)\\b");

  /**
   * The GTID columns of a SHOW SLAVE STATUS row; {@code slavePos} is MariaDB's @@gtid_slave_pos
   * (null: not read).
   */
  static GtidState of(Map<String, String> row, String slavePos) {
    if (row.containsKey("Executed_Gtid_Set") || row.containsKey("Auto_Position")) {
      return new GtidState(
          MYSQL,
          "1".equals(trim(row.get("Auto_Position"))),
          compact(row.get("Executed_Gtid_Set")),
          compact(row.get("Retrieved_Gtid_Set")),
          blankToNull(trim(row.get("Master_UUID"))));
    }
    if (row.containsKey("Using_Gtid")) {
      String using = trim(row.get("Using_Gtid"));
      boolean positioned = using != null && !using.isEmpty() && !"No".equalsIgnoreCase(using);
      return new GtidState(
          MARIADB, positioned, compact(slavePos), compact(row.get("Gtid_IO_Pos")), null);
    }
    return ABSENT;
  }

  /**
   * The GTID columns of the current row of {@code SHOW SLAVE STATUS} (whichever the server has).
   */
  static Map<String, String> columns(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    Map<String, String> out = new HashMap<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      String name = md.getColumnLabel(i);
      switch (name) {
        case "Auto_Position",
            "Executed_Gtid_Set",
            "Retrieved_Gtid_Set",
            "Master_UUID",
            "Using_Gtid",
            "Gtid_IO_Pos" ->
            out.put(name, rs.getString(i));
        default -> {}
      }
    }
    return out;
  }

  /**
   * MariaDB positioned by GTID: its executed position is {@code @@gtid_slave_pos}, read apart from
   * the row.
   */
  boolean needsSlavePos() {
    return MARIADB.equals(flavor) && positioned;
  }

  GtidState withSlavePos(String slavePos) {
    return new GtidState(flavor, positioned, compact(slavePos), received, sourceUuid);
  }

  /**
   * Whether a skip must name the failing transaction's GTID: replication positioned by GTID; and on
   * MySQL also any replica that receives transactions with GTIDs (Retrieved_Gtid_Set not empty) —
   * under gtid_mode=ON MySQL refuses sql_slave_skip_counter, which rds_skip_repl_error sets,
   * whatever the positioning. MariaDB skips by counter in either case.
   */
  boolean skipsByGtid() {
    return positioned || MYSQL.equals(flavor) && received != null;
  }

  /** What status shows: the executed GTIDs while replication is positioned by GTID, else null. */
  String position() {
    return positioned ? executed : null;
  }

  /**
   * The GTID of the transaction the SQL thread stopped on: from the group's GTID event among {@code
   * groupLines} (journal lines, {@code Type: info}), else, on MySQL, the first GTID of the source's
   * UUID retrieved and not executed; null when neither tells.
   */
  String failing(List<String> groupLines) {
    String fromEvent = ofGroup(groupLines);
    if (fromEvent != null) return fromEvent;
    return MYSQL.equals(flavor) ? firstRetrievedNotExecuted() : null;
  }

  /** The GTID a group's GTID event names (the first such event), or null. */
  static String ofGroup(List<String> groupLines) {
    if (groupLines == null) return null;
    for (String line : groupLines) {
      if (!line.regionMatches(true, 0, "Gtid", 0, 4)) continue;
      Matcher maria = MARIADB_GTID.matcher(line);
      if (maria.find()) return maria.group(1);
      Matcher mysql = MYSQL_GTID.matcher(line);
      if (mysql.find()) return mysql.group(1).toLowerCase(Locale.ROOT) + ":" + mysql.group(2);
    }
    return null;
  }

  /**
   * MySQL: the smallest GTID of the source's UUID (or of the only UUID retrieved) in Retrieved and
   * not in Executed.
   */
  String firstRetrievedNotExecuted() {
    Map<String, List<long[]>> retrieved = parseSet(received);
    Map<String, List<long[]>> done = parseSet(executed);
    String uuid =
        sourceUuid != null
            ? sourceUuid.toLowerCase(Locale.ROOT)
            : retrieved.size() == 1 ? retrieved.keySet().iterator().next() : null;
    if (uuid == null || !retrieved.containsKey(uuid)) return null;
    List<long[]> executedOfSource = done.getOrDefault(uuid, List.of());
    for (long[] r : retrieved.get(uuid)) {
      long next = firstNotIn(r[0], r[1], executedOfSource);
      if (next > 0) return uuid + ":" + next;
    }
    return null;
  }

  /** The smallest number in {@code from..to} not covered by {@code intervals}, or 0. */
  private static long firstNotIn(long from, long to, List<long[]> intervals) {
    long n = from;
    boolean moved = true;
    while (n <= to && moved) {
      moved = false;
      for (long[] i : intervals) {
        if (n >= i[0] && n <= i[1]) {
          n = i[1] + 1;
          moved = true;
        }
      }
    }
    return n <= to ? n : 0;
  }

  /**
   * A MySQL GTID set ({@code uuid:1-5:7,uuid2:1-3}, with the line breaks SHOW SLAVE STATUS puts
   * after commas) as intervals per UUID (lower case). Tagged GTIDs (MySQL 8.4 {@code uuid:tag:1-5})
   * keep their numbers under the UUID.
   */
  static Map<String, List<long[]>> parseSet(String set) {
    Map<String, List<long[]>> out = new LinkedHashMap<>();
    if (set == null || set.isBlank()) return out;
    for (String part : set.replaceAll("\\s", "").split(",")) {
      if (part.isEmpty()) continue;
      String[] pieces = part.split(":");
      if (!pieces[0].matches(UUID)) continue;
      List<long[]> intervals =
          out.computeIfAbsent(pieces[0].toLowerCase(Locale.ROOT), k -> new ArrayList<>());
      for (int i = 1; i < pieces.length; i++) {
        String p = pieces[i];
        if (!p.matches("\\d+(-\\d+)?")) continue; // a tag
        int dash = p.indexOf('-');
        long lo = Long.parseLong(dash < 0 ? p : p.substring(0, dash));
        long hi = dash < 0 ? lo : Long.parseLong(p.substring(dash + 1));
        intervals.add(new long[] {lo, hi});
      }
    }
    return out;
  }

  /** Without the line breaks MySQL puts into long sets; null for empty. */
  private static String compact(String set) {
    if (set == null) return null;
    String s = set.replaceAll("\\s", "");
    return s.isEmpty() ? null : s;
  }

  private static String trim(String s) {
    return s == null ? null : s.strip();
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
