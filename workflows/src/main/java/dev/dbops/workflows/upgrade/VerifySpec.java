package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.DbLogin;
import java.util.List;

/** Connect (reconnecting while the endpoint recovers), check VERSION(), run smoke SQL. */
public record VerifySpec(
    String host, int port, DbLogin login, String expectedVersionPrefix, List<String> smokeSql) {}
