package dev.dbops.workflows.staging;

import java.util.List;

/**
 * How the restored copy is made safe for staging.
 *
 * @param statements masking SQL inline, run in order; or
 * @param scriptRef {@code file:/path} or {@code s3://bucket/key} holding the masking SQL
 *     (statements separated by {@code ;} at line ends); exactly one of the two
 * @param verifyQueries each must return a single number, 0 when masking worked (e.g.
 *     {@code SELECT COUNT(*) FROM app.users WHERE email NOT LIKE '%@example.invalid'}); at least one
 */
public record MaskingSpec(List<String> statements, String scriptRef, List<String> verifyQueries) {
  public List<String> statementsOrEmpty() {
    return statements == null ? List.of() : statements;
  }

  public List<String> verifyQueriesOrEmpty() {
    return verifyQueries == null ? List.of() : verifyQueries;
  }
}
