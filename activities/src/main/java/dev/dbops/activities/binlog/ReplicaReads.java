package dev.dbops.activities.binlog;

import dev.dbops.activities.sql.ReplicationSql;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.Optional;

/** The two status reads every replication activity starts from. */
final class ReplicaReads {
  private ReplicaReads() {}

  /** {@code SHOW SLAVE STATUS}; empty when the server replicates from nothing. */
  static Optional<SlaveStatus> slaveStatus(SqlSession replica) {
    Optional<SlaveStatus> s =
        replica.query(
            ReplicationSql.SHOW_SLAVE_STATUS,
            rs ->
                rs.next()
                    ? Optional.of(SlaveStatus.read(rs)).filter(SlaveStatus::configured)
                    : Optional.empty());
    // MariaDB positioned by GTID: its executed GTIDs are @@gtid_slave_pos, not a column of the row.
    return s.map(
        x ->
            x.gtid().needsSlavePos()
                ? x.withGtid(
                    x.gtid()
                        .withSlavePos(
                            replica.query(
                                ReplicationSql.GTID_SLAVE_POS,
                                rs -> rs.next() ? rs.getString(1) : null)))
                : x);
  }

  /**
   * The status of a replica that must be replicating from {@code source}; anything else needs a
   * person.
   */
  static SlaveStatus status(SqlSession replica, DbTarget source) {
    SlaveStatus s =
        slaveStatus(replica)
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "replica "
                            + replica.where()
                            + " has no replication configured (SHOW SLAVE STATUS is empty): it was reset"
                            + " or never set up",
                        ErrorTypes.INVALID_STATE));
    if (!s.replicatesFrom(source.host(), source.port())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "replica "
              + replica.where()
              + " replicates from "
              + s.masterHost()
              + ":"
              + s.masterPort()
              + ", not from "
              + source.address(),
          ErrorTypes.INVALID_STATE);
    }
    return s;
  }

  /**
   * Whether {@code db} is a GTID source for dbops: MySQL with {@code gtid_mode = ON}; MariaDB
   * (which writes GTIDs always) with {@code gtid_strict_mode = ON}, its promise of GTID order.
   */
  static boolean gtidSource(SqlSession db) {
    String sql =
        mariaDb(db) ? ReplicationSql.MARIADB_GTID_STRICT_MODE : ReplicationSql.MYSQL_GTID_MODE;
    String v = db.query(sql, rs -> rs.next() ? rs.getString(1) : null);
    return v != null && (v.equalsIgnoreCase("ON") || v.equals("1"));
  }

  /**
   * The GTIDs a replica has executed, where auto-position starts from: MariaDB's {@code
   * gtid_slave_pos}, MySQL's {@code gtid_executed}; null when empty.
   */
  static String executedGtids(SqlSession replica) {
    String sql =
        mariaDb(replica) ? ReplicationSql.GTID_SLAVE_POS : ReplicationSql.MYSQL_GTID_EXECUTED;
    String v = replica.query(sql, rs -> rs.next() ? rs.getString(1) : null);
    return v == null || v.isBlank() ? null : v.replaceAll("\\s", "");
  }

  private static boolean mariaDb(SqlSession db) {
    String version = db.query(ReplicationSql.VERSION, rs -> rs.next() ? rs.getString(1) : "");
    return version != null && version.toLowerCase(java.util.Locale.ROOT).contains("mariadb");
  }

  /** {@code SHOW MASTER STATUS}; empty when the binary log is off. */
  static Optional<BinlogPosition> masterStatus(SqlSession db) {
    return db.query(
        ReplicationSql.SHOW_MASTER_STATUS,
        rs ->
            rs.next()
                ? Optional.of(new BinlogPosition(rs.getString("File"), rs.getLong("Position")))
                : Optional.empty());
  }
}
