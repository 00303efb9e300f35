package dev.dbops.workflows.binlog;

/**
 * The user the replica connects to the source as.
 *
 * @param passwordRef env:NAME, file:/path or secretsmanager:ID — never the password
 * @param create create it on the source (with REPLICATION SLAVE, all replication needs) if missing
 */
public record ReplicationUser(String user, String passwordRef, Boolean create) {
  public boolean createOrDefault() {
    return Boolean.TRUE.equals(create);
  }
}
