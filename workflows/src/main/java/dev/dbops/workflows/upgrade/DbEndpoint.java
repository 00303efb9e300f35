package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.DbLogin;

/** Where the pre-checks connect: the cluster's writer endpoint. */
public record DbEndpoint(String host, int port, DbLogin login) {}
