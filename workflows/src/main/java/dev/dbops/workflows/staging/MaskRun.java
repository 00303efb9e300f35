package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.DbLogin;

/**
 * Run the masking SQL on the restored cluster, then its verification queries.
 *
 * @param expectedSha256 the hash recorded at validation; a different script is refused
 */
public record MaskRun(
    String endpoint, int port, DbLogin login, MaskingSpec masking, String expectedSha256) {}
