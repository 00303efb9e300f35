package dev.dbops.workflows.binlog;

/**
 * mysql.rds_set_external_master(source host, port, user, password, file, position, ssl) and
 * mysql.rds_start_replication on the replica. Idempotent: a replica already replicating from that
 * source is adopted as is.
 */
public record ReplicaSetup(
    DbTarget replica,
    DbTarget source,
    ReplicationUser replicationUser,
    BinlogPosition start,
    boolean ssl) {}
