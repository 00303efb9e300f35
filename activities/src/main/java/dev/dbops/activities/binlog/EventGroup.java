package dev.dbops.activities.binlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects the events of one event group (a transaction, or one standalone statement) from a relay
 * log or binlog, starting at the group's first event: what {@code sql_slave_skip_counter=1} (inside
 * {@code mysql.rds_skip_repl_error}) skips as a whole, so the journal lists all of it. Pure: the
 * caller feeds it the rows it read.
 *
 * <p>A group begins with MariaDB's {@code Gtid "BEGIN GTID d-s-n"} or a {@code Query "BEGIN"} and
 * ends with an {@code Xid} or a {@code Query "COMMIT"/"ROLLBACK"}; without a BEGIN it is one
 * statement (a DDL, or a non-transactional write). File bookkeeping events (Format_desc, Rotate,
 * Gtid_list, …) are not part of it.
 */
final class EventGroup {
  /**
   * Events kept per group; a bigger transaction is journaled with a note where to read the rest.
   */
  static final int MAX_EVENTS = 500;

  /** Characters kept per event's text. */
  static final int MAX_INFO_CHARS = 16_384;

  private static final Set<String> BOOKKEEPING =
      Set.of(
          "Format_desc",
          "Rotate",
          "Previous_gtids",
          "Gtid_list",
          "Binlog_checkpoint",
          "Start_encryption",
          "Stop",
          "Heartbeat",
          "Start_v3");
  private static final Set<String> STATEMENT_CONTEXT =
      Set.of("Intvar", "User var", "User_var", "Rand");
  private static final Pattern ROW_EVENT = Pattern.compile("^(Write|Update|Delete)_rows");
  private static final String QUERY_LINE = "Query: ";
  private static final Pattern USE_PREFIX =
      Pattern.compile("^use (`(?:[^`]|``)+`); (.*)$", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
  private static final Pattern DML =
      Pattern.compile(
          "^(?:\\s|/\\*.*?\\*/)*(INSERT|UPDATE|DELETE|REPLACE)\\b",
          Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
  private static final Pattern END =
      Pattern.compile(
          "^(?:\\s|/\\*.*?\\*/)*(COMMIT|ROLLBACK)\\b", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

  private final List<BinlogEvent> events = new ArrayList<>();
  private boolean inTransaction;
  private boolean complete;
  private boolean truncated;
  private String nextFile;

  /**
   * Takes the next event; false once the group is complete (or the cap reached) and no more are
   * wanted.
   */
  boolean add(BinlogEvent e) {
    if (complete || truncated) return false;
    String type = e.type() == null ? "" : e.type();
    if (BOOKKEEPING.contains(type)) {
      if ("Rotate".equals(type)) nextFile = rotateTarget(e);
      return true;
    }
    if (events.size() >= MAX_EVENTS) {
      truncated = true;
      return false;
    }
    events.add(e);
    String info = e.info() == null ? "" : e.info().strip();
    if (type.startsWith("Gtid") || type.equals("Anonymous_Gtid")) {
      // MariaDB says "BEGIN GTID 0-1-6" for a transaction, "GTID 0-1-11" for a standalone
      // statement.
      if (info.toUpperCase(Locale.ROOT).startsWith("BEGIN")) inTransaction = true;
    } else if (type.equals("Xid") || type.equals("XA_prepare")) {
      complete = true;
    } else if (type.equals("Query")) {
      if (info.equalsIgnoreCase("BEGIN") || info.toUpperCase(Locale.ROOT).startsWith("XA START")) {
        inTransaction = true;
      } else if (!inTransaction || END.matcher(info).find()) {
        complete = true;
      }
    } else if (!inTransaction && !STATEMENT_CONTEXT.contains(type) && info.contains("STMT_END_F")) {
      complete = true;
    }
    return !complete;
  }

  /**
   * Whether a journal line ({@link BinlogEvent#journalLine}) is a statement event that changes rows
   * ({@code Query: [use `db`; ]INSERT|UPDATE|DELETE|REPLACE …}).
   */
  static boolean isDmlLine(String journalLine) {
    if (!journalLine.startsWith(QUERY_LINE)) return false;
    String info = journalLine.substring(QUERY_LINE.length());
    Matcher use = USE_PREFIX.matcher(info);
    return DML.matcher(use.matches() ? use.group(2) : info).find();
  }

  /** Any Write / Update / Delete rows event. */
  boolean hasRowEvents() {
    return events.stream().anyMatch(e -> e.type() != null && ROW_EVENT.matcher(e.type()).find());
  }

  /** Row events and no statement text for them (no Annotate_rows / Rows_query event). */
  boolean rowsWithoutStatement() {
    boolean rows =
        events.stream().anyMatch(e -> e.type() != null && ROW_EVENT.matcher(e.type()).find());
    boolean annotated =
        events.stream()
            .anyMatch(e -> "Annotate_rows".equals(e.type()) || "Rows_query".equals(e.type()));
    return rows && !annotated;
  }

  boolean complete() {
    return complete;
  }

  boolean truncated() {
    return truncated;
  }

  List<BinlogEvent> events() {
    return List.copyOf(events);
  }

  /**
   * The log file a Rotate event points at ({@code relay-bin.000003;pos=4}): where the group goes on
   * when the current file ends before it is complete. Null for none seen.
   */
  String nextFile() {
    return nextFile;
  }

  /**
   * The journal's lines: each event as {@code Type: info}, plus a note when the group was cut
   * short.
   */
  List<String> journalLines(String whereToReadMore) {
    List<String> out = new ArrayList<>(events.size() + 1);
    for (BinlogEvent e : events) out.add(e.journalLine());
    if (truncated) out.add("… more than " + MAX_EVENTS + " events; the rest: " + whereToReadMore);
    else if (!complete) out.add("… the group's end was not found; the rest: " + whereToReadMore);
    return out;
  }

  private static String rotateTarget(BinlogEvent e) {
    String info = e.info() == null ? "" : e.info();
    int semi = info.indexOf(';');
    return semi > 0 ? info.substring(0, semi).strip() : null;
  }

  // ------------------------------------------------------------------------- re-apply

  /** The statements that re-apply a group, or why it cannot be. */
  record Reapply(List<String> statements, String refusal) {}

  /**
   * The SQL that applies this group again in one transaction of our own (the foreign-key re-apply
   * runs it with {@code foreign_key_checks=0}): its DML statements, each after a {@code USE} of its
   * default schema, with the {@code INSERT_ID} / user variable / seed events that precede them.
   * Refused for row events (their rows are not in SHOW … EVENTS' text), DDL (it would commit our
   * transaction) and groups cut short.
   */
  Reapply reapply() {
    if (!complete || truncated) return refuse("the transaction was not read to its end");
    List<String> out = new ArrayList<>();
    for (BinlogEvent e : events) {
      String type = e.type() == null ? "" : e.type();
      String info = e.info() == null ? "" : e.info().strip();
      switch (type) {
        case "Xid" -> {}
        case "Intvar", "User var", "User_var", "Rand" -> out.add("SET " + info);
        case "Query" -> {
          if (info.equalsIgnoreCase("BEGIN") || END.matcher(info).find()) break;
          String statement = info;
          Matcher use = USE_PREFIX.matcher(info);
          if (use.matches()) {
            out.add("USE " + use.group(1));
            statement = use.group(2);
          }
          if (!DML.matcher(statement).find()) {
            return refuse(
                "it holds a statement that is not INSERT/UPDATE/DELETE/REPLACE: "
                    + e.journalLine());
          }
          out.add(statement);
        }
        default -> {
          if (type.startsWith("Gtid") || type.equals("Anonymous_Gtid")) break;
          return refuse(
              "it holds "
                  + type
                  + " events (row-based changes cannot be re-applied from "
                  + "SHOW RELAYLOG EVENTS' text)");
        }
      }
    }
    return new Reapply(List.copyOf(out), null);
  }

  private static Reapply refuse(String why) {
    return new Reapply(List.of(), why);
  }
}
