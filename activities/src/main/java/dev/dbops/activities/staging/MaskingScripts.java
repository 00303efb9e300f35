package dev.dbops.activities.staging;

import dev.dbops.activities.aws.AwsFailures;
import dev.dbops.activities.sql.StagingSql;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.sql.SqlScript;
import dev.dbops.workflows.staging.MaskingSpec;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Masking SQL from wherever the request keeps it (inline, a file on the worker, an S3 object),
 * split into statements by {@link SqlScript} (as the mysql client reads a file; what it cannot read
 * is INVALID_INPUT, at validation, before any snapshot) and hashed by {@link StagingSql}. The hash
 * is over the normalized statements, so it names what runs, whatever the file's comments and blank
 * lines.
 */
final class MaskingScripts {
  private MaskingScripts() {}

  /** The statements and their hash. */
  record Script(List<String> statements, String sha256, String source) {}

  /**
   * @param s3 reads {@code (bucket, key)} to text; only called for {@code s3://} references
   */
  static Script read(MaskingSpec spec, BiFunction<String, String, String> s3) {
    if (!spec.statementsOrEmpty().isEmpty()) {
      List<String> out = new ArrayList<>();
      List<String> inline = spec.statementsOrEmpty();
      for (int i = 0; i < inline.size(); i++)
        out.addAll(split(inline.get(i), "masking.statements: statement " + (i + 1)));
      return new Script(out, StagingSql.sha256(out), "inline");
    }
    String ref = spec.scriptRef();
    if (ref == null) throw invalid("masking: no statements and no scriptRef");
    String text;
    if (ref.startsWith("file:")) {
      Path p = Path.of(ref.substring("file:".length()));
      try {
        text = Files.readString(p, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw invalid("masking.scriptRef: " + p + " does not exist on the worker");
      } catch (IOException e) {
        throw invalid("masking.scriptRef: " + p + " cannot be read (" + e.getMessage() + ")");
      }
    } else if (ref.startsWith("s3://")) {
      String rest = ref.substring("s3://".length());
      int slash = rest.indexOf('/');
      if (slash <= 0 || slash == rest.length() - 1)
        throw invalid("masking.scriptRef: '" + ref + "' is not s3://bucket/key");
      text = s3.apply(rest.substring(0, slash), rest.substring(slash + 1));
    } else {
      throw invalid("masking.scriptRef: must be file:/path or s3://bucket/key");
    }
    List<String> statements = split(text, "masking.scriptRef: " + ref);
    if (statements.isEmpty())
      throw invalid("masking.scriptRef: " + ref + " holds no SQL statement");
    return new Script(statements, StagingSql.sha256(statements), ref);
  }

  /** {@link SqlScript#split}, its refusal INVALID_INPUT naming {@code what}. */
  private static List<String> split(String text, String what) {
    try {
      return SqlScript.split(text == null ? "" : text);
    } catch (IllegalArgumentException e) {
      throw invalid(what + ": " + e.getMessage());
    }
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.INVALID_INPUT);
  }

  /**
   * Keeps {@link AwsFailures} the only path from S3 errors to failures, with a clearer not-found.
   */
  static ApplicationFailure s3Missing(String ref, ApplicationFailure f) {
    return ErrorTypes.NOT_FOUND.equals(f.getType())
        ? invalid("masking.scriptRef: " + ref + " not found (" + f.getOriginalMessage() + ")")
        : f;
  }
}
