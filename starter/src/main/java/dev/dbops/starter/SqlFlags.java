package dev.dbops.starter;

import dev.dbops.workflows.sql.CheckSql;
import dev.dbops.workflows.staging.StagingRebuildRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * SQL given as flags, judged by the very rules the request's {@code problems()} apply ({@link
 * CheckSql}, {@link StagingRebuildRequest#scriptProblem}), but naming the flag: exit 2 before
 * anything is sent.
 */
final class SqlFlags {
  private SqlFlags() {}

  /** Each value must be one read-only statement. */
  static void checks(String flag, List<String> values) {
    if (values == null) return;
    for (int i = 0; i < values.size(); i++) {
      String problem = CheckSql.problem(values.get(i));
      if (problem != null)
        throw CliException.invalid(flag + " (" + ordinal(i, values.size()) + "): " + problem);
    }
  }

  /** Each value must split into statements as the mysql client would read it. */
  static void scripts(String flag, List<String> values) {
    if (values == null) return;
    for (int i = 0; i < values.size(); i++) {
      String problem = StagingRebuildRequest.scriptProblem(values.get(i));
      if (problem != null)
        throw CliException.invalid(flag + " (" + ordinal(i, values.size()) + "): " + problem);
    }
  }

  /** The script file must split as the mysql client would read it (the worker reads it again). */
  static void scriptFile(String flag, Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.invalid(flag + ": cannot read " + file + " (" + e.getMessage() + ")");
    }
    String problem = StagingRebuildRequest.scriptProblem(text);
    if (problem != null) throw CliException.invalid(flag + ": " + file + ": " + problem);
  }

  private static String ordinal(int i, int of) {
    return (i + 1) + " of " + of;
  }
}
