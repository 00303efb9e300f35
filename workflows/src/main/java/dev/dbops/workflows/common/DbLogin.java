package dev.dbops.workflows.common;

import java.util.regex.Pattern;

/**
 * How activities log in to the cluster for pre-checks and verification. Never a password: {@code
 * passwordRef} is {@code env:NAME}, {@code file:/path} or {@code secretsmanager:ID}, resolved
 * inside the activity.
 */
public record DbLogin(String user, String passwordRef) {
  private static final Pattern USER = Pattern.compile("^[A-Za-z0-9_.$@-]{1,80}$");

  /** A reference to a secret, resolved inside an activity: never the secret itself. */
  private static final Pattern PASSWORD_REF =
      Pattern.compile("^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+|secretsmanager:.+)$");

  /**
   * Whether {@code ref} is {@code env:NAME}, {@code file:/path} or {@code secretsmanager:ID} (null
   * is not).
   */
  public static boolean validPasswordRef(String ref) {
    return ref != null && PASSWORD_REF.matcher(ref).matches();
  }

  public String problem(String field) {
    if (user == null || user.isBlank()) return field + ".user: required";
    // Statements bind the name, but it is also written into journal lines, notices and the
    // audit report: quotes, backticks, spaces or line breaks in it are a mistake or an
    // injection attempt, never a real account, and are refused before anything connects.
    if (!USER.matcher(user).matches()) {
      return field
          + ".user: '"
          + user
          + "' is not a MySQL user name (letters, digits, _ . $ - @; at most 80)";
    }
    if (!validPasswordRef(passwordRef)) {
      return field
          + ".passwordRef: must be env:NAME, file:/path or secretsmanager:ID (never the password itself)";
    }
    return null;
  }
}
