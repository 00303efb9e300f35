package dev.dbops.workflows.staging;

/** A cluster in an account, plus its writer endpoint once known. */
public record ClusterRef(
    String accountId,
    String clusterId,
    String arn,
    String status,
    String endpoint,
    int port,
    boolean adopted) {}
