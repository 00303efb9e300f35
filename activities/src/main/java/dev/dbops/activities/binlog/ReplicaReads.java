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
    return replica.query(ReplicationSql.SHOW_SLAVE_STATUS,
        rs -> rs.next() ? Optional.of(SlaveStatus.read(rs)).filter(SlaveStatus::configured) : Optional.empty());
  }

  /** The status of a replica that must be replicating from {@code source}; anything else needs a person. */
  static SlaveStatus status(SqlSession replica, DbTarget source) {
    SlaveStatus s = slaveStatus(replica).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "replica " + replica.where() + " has no replication configured (SHOW SLAVE STATUS is empty): it was reset"
            + " or never set up", ErrorTypes.INVALID_STATE));
    if (!s.replicatesFrom(source.host(), source.port())) {
      throw ApplicationFailure.newNonRetryableFailure("replica " + replica.where() + " replicates from "
          + s.masterHost() + ":" + s.masterPort() + ", not from " + source.address(), ErrorTypes.INVALID_STATE);
    }
    return s;
  }

  /** {@code SHOW MASTER STATUS}; empty when the binary log is off. */
  static Optional<BinlogPosition> masterStatus(SqlSession db) {
    return db.query(ReplicationSql.SHOW_MASTER_STATUS, rs -> rs.next()
        ? Optional.of(new BinlogPosition(rs.getString("File"), rs.getLong("Position"))) : Optional.empty());
  }
}
