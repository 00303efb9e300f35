package dev.dbops.workflows.staging;

/**
 * One thing the run touched in AWS, for the audit trail and for compensation.
 *
 * @param kind CLUSTER, INSTANCE, SNAPSHOT, SHARE, CNAME
 * @param action CREATED, ADOPTED, DELETED, REVERTED, KEPT, REFUSED
 */
public record ResourceRecord(
    String kind, String account, String id, String action, String at, String detail) {}
