package dev.dbops.activities.binlog;

import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.activities.sql.ReplicationSql;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the event group the replica's SQL thread stopped on: from the replica's relay log ({@code
 * SHOW RELAYLOG EVENTS IN <Relay_Log_File> FROM <Relay_Log_Pos>}), or, when that cannot be read
 * (privileges, relay log gone), from the source's binlog at the group's source coordinates. A first
 * page of {@link #FIRST_PAGE} events (a typical group has 3–6: reading 100 to use 4 costs the
 * server a longer read on the way of every skip), then pages of {@link #PAGE}; a relay log that
 * ends mid-group continues in the file its Rotate event names.
 */
final class GroupReader {
  private static final Logger log = LoggerFactory.getLogger(GroupReader.class);
  static final int FIRST_PAGE = 10;
  static final int PAGE = 100;

  /** Relay log files followed past a Rotate before giving up on finding the group's end. */
  private static final int MAX_FILES = 3;

  /** The group and where to read it (again) in full. */
  record Read(EventGroup group, String where) {
    List<String> journalLines() {
      return group.journalLines(where);
    }
  }

  private GroupReader() {}

  /**
   * @param source opens the source session only when the fallback needs it
   */
  static Read read(SqlSession replica, Supplier<SqlSession> source, SlaveStatus s) {
    String relayWhere =
        "SHOW RELAYLOG EVENTS IN '"
            + s.relayLogFile()
            + "' FROM "
            + s.relayLogPos()
            + " on the replica";
    SQLException relayFailure;
    try {
      Read relay = new Read(readLog(replica, s.relayLogFile(), s.relayLogPos(), true), relayWhere);
      return relay.group().rowsWithoutStatement() ? withStatements(relay, source, s) : relay;
    } catch (SQLException e) {
      if (SqlFailures.retryable(e)) throw SqlFailures.failure(relayWhere, e);
      relayFailure = e;
      log.info("{}: {}; reading the source's binlog instead", relayWhere, SqlFailures.describe(e));
    }
    String sourceWhere =
        "SHOW BINLOG EVENTS IN '"
            + s.relayMasterLogFile()
            + "' FROM "
            + s.execMasterLogPos()
            + " on the source";
    try {
      return new Read(
          readLog(source.get(), s.relayMasterLogFile(), s.execMasterLogPos(), false), sourceWhere);
    } catch (SQLException e) {
      if (SqlFailures.retryable(e)) throw SqlFailures.failure(sourceWhere, e);
      // Journal what is known (coordinates, error) rather than block the skip: the coordinates
      // say where to read the events while the source keeps the binlog.
      return new Read(
          new EventGroup(),
          "the events could not be read: "
              + relayWhere
              + ": "
              + SqlFailures.describe(relayFailure)
              + "; "
              + sourceWhere
              + ": "
              + SqlFailures.describe(e));
    } catch (ApplicationFailure e) {
      // Connecting to the source failed: retry when that may pass, else journal what is known.
      if (!e.isNonRetryable()) throw e;
      return new Read(
          new EventGroup(),
          "the events could not be read: "
              + relayWhere
              + ": "
              + SqlFailures.describe(relayFailure)
              + "; the source: "
              + e.getOriginalMessage());
    }
  }

  /**
   * Row events carry no statement text in the relay log (MariaDB does not relay Annotate_rows), but
   * the source's binlog has it: read the group there too and keep that when it is complete.
   */
  private static Read withStatements(Read relay, Supplier<SqlSession> source, SlaveStatus s) {
    String sourceWhere =
        "SHOW BINLOG EVENTS IN '"
            + s.relayMasterLogFile()
            + "' FROM "
            + s.execMasterLogPos()
            + " on the source";
    try {
      EventGroup fromSource =
          readLog(source.get(), s.relayMasterLogFile(), s.execMasterLogPos(), false);
      return fromSource.complete() ? new Read(fromSource, sourceWhere) : relay;
    } catch (SQLException e) {
      if (SqlFailures.retryable(e)) throw SqlFailures.failure(sourceWhere, e);
      log.info(
          "{}: {}; journaling the relay log's row events without their statement",
          sourceWhere,
          SqlFailures.describe(e));
      return relay;
    } catch (ApplicationFailure e) {
      if (!e.isNonRetryable()) throw e;
      return relay;
    }
  }

  private static EventGroup readLog(SqlSession db, String file, long pos, boolean relay)
      throws SQLException {
    EventGroup group = new EventGroup();
    String current = file;
    long from = pos;
    for (int files = 0; files < MAX_FILES; files++) {
      int offset = 0;
      while (true) {
        int limit = offset == 0 ? FIRST_PAGE : PAGE;
        String sql =
            relay
                ? ReplicationSql.relayLogEvents(current, from, offset, limit)
                : ReplicationSql.binlogEvents(current, from, offset, limit);
        List<BinlogEvent> page =
            db.queryRaw(
                sql,
                rs -> {
                  List<BinlogEvent> out = new ArrayList<>();
                  while (rs.next()) {
                    out.add(
                        new BinlogEvent(
                            rs.getString("Log_name"),
                            rs.getLong("Pos"),
                            rs.getString("Event_type"),
                            rs.getLong("Server_id"),
                            rs.getLong("End_log_pos"),
                            rs.getString("Info")));
                  }
                  return out;
                });
        for (BinlogEvent e : page) {
          if (!group.add(e)) return group;
        }
        if (page.size() < limit) break;
        offset += limit;
      }
      String next = group.nextFile();
      if (!relay || next == null || next.equals(current) || !sameBase(next, current)) return group;
      current = next;
      from = 4;
    }
    return group;
  }

  private static boolean sameBase(String a, String b) {
    int da = a.lastIndexOf('.');
    int db = b.lastIndexOf('.');
    return da > 0 && db > 0 && a.substring(0, da).equals(b.substring(0, db));
  }
}
