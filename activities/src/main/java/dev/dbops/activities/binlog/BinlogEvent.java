package dev.dbops.activities.binlog;

import dev.dbops.activities.sql.SqlSecrets;

/**
 * One row of {@code SHOW RELAYLOG EVENTS} / {@code SHOW BINLOG EVENTS}.
 *
 * @param logName the relay log (or binlog) file the event is in
 * @param pos its position in that file
 * @param type Event_type: Gtid, Query, Xid, Table_map, Write_rows_v1, Rotate, …
 * @param info the statement for Query events, a summary for others
 */
record BinlogEvent(
    String logName, long pos, String type, long serverId, long endLogPos, String info) {
  /**
   * {@code Query: use `app`; INSERT INTO …}: how the journal lists it, password literals masked.
   */
  String journalLine() {
    String text = info == null ? "" : SqlSecrets.redact(info);
    if (text.length() > EventGroup.MAX_INFO_CHARS) {
      text = text.substring(0, EventGroup.MAX_INFO_CHARS) + "… (" + text.length() + " characters)";
    }
    return type + ": " + text;
  }
}
