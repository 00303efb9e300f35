package dev.dbops.activities.sql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The SQL text of the staging rebuild's schema comparison, and the hash of a masking script's
 * statements (split by {@code dev.dbops.workflows.sql.SqlScript}). No I/O: {@code
 * StagingActivitiesImpl} runs these. Schema names are always the one bind parameter.
 */
public final class StagingSql {
  private StagingSql() {}

  /** Base tables of one schema (views have no indexes and are not compared). */
  public static final String TABLES =
      "SELECT TABLE_NAME FROM information_schema.TABLES"
          + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'";

  /** Every column of one schema: name, full type, nullability, default. */
  public static final String COLUMNS =
      "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT"
          + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?";

  /** Every index column of one schema, in index order, with its uniqueness. */
  public static final String INDEX_COLUMNS =
      "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME"
          + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

  /**
   * SHA-256 (lower-case hex) of the normalized statements joined with {@code "\n"}: it names what
   * runs, so comments, blank lines and indentation do not change it.
   */
  public static String sha256(List<String> statements) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(md.digest(String.join("\n", statements).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
