package dev.dbops.workflows.upgrade;

/**
 * How activities log in to the cluster for pre-checks and verification. Never a password:
 * {@code passwordRef} is {@code env:NAME}, {@code file:/path} or {@code secretsmanager:ID},
 * resolved inside the activity.
 */
public record DbLogin(String user, String passwordRef) {
  public String problem(String field) {
    if (user == null || user.isBlank()) return field + ".user: required";
    if (passwordRef == null || !passwordRef.matches("^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+|secretsmanager:.+)$")) {
      return field + ".passwordRef: must be env:NAME, file:/path or secretsmanager:ID (never the password itself)";
    }
    return null;
  }
}
