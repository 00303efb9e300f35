package dev.dbops.workflows.upgrade;

/** Where the pre-checks connect: the cluster's writer endpoint. */
public record DbEndpoint(String host, int port, DbLogin login) {}
