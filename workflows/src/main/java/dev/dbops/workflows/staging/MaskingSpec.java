package dev.dbops.workflows.staging;

import dev.dbops.workflows.sql.CheckSql;
import dev.dbops.workflows.sql.SqlScript;
import java.util.List;

/**
 * How the restored copy is made safe for staging.
 *
 * @param statements masking SQL inline, run in order (each may hold several statements); or
 * @param scriptRef {@code file:/path} or {@code s3://bucket/key} holding the masking SQL; exactly
 *     one of the two. Both are split as the mysql client reads a file ({@link SqlScript}: {@code
 *     ;}, strings, comments, {@code DELIMITER}), at validation
 * @param verifyQueries each one read-only statement ({@link CheckSql}), run in a read-only
 *     transaction, that must return exactly one row of one whole number, 0 when masking worked
 *     (e.g. {@code SELECT COUNT(*) FROM app.users WHERE email NOT LIKE '%@example.invalid'}); at
 *     least one
 */
public record MaskingSpec(List<String> statements, String scriptRef, List<String> verifyQueries) {
  public List<String> statementsOrEmpty() {
    return statements == null ? List.of() : statements;
  }

  public List<String> verifyQueriesOrEmpty() {
    return verifyQueries == null ? List.of() : verifyQueries;
  }
}
