package dev.dbops.activities.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbops.activities.aws.AwsFailures;
import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * Turns a password reference from a request ({@code env:NAME}, {@code file:/path}, {@code
 * secretsmanager:ID}) into the password, inside the activity that needs it. Requests and workflow
 * history only ever carry the reference.
 *
 * <p>The value is never logged and never put in a failure message: messages name the reference and
 * what went wrong with it. A reference that cannot be resolved (unset variable, missing file, no
 * Secrets Manager configured) is a non-retryable {@link ErrorTypes#INVALID_INPUT}: retrying would
 * not set the variable. A file that exists but cannot be read for another reason, and a Secrets
 * Manager call that got no answer, are retried.
 *
 * <p>{@code secretsmanager:ID} reads {@code SecretString}; when it is a JSON object (the shape
 * RDS-managed and rotation secrets have) its {@code password} field is the password.
 */
public final class SecretResolver {
  /**
   * Retryable: the secret exists but could not be read just now (an I/O error other than a missing
   * or forbidden file). Candidate for {@link ErrorTypes}.
   */
  public static final String SECRET_UNAVAILABLE = "SecretUnavailable";

  static final String ENV = "env:";
  static final String FILE = "file:";
  static final String SECRETS_MANAGER = "secretsmanager:";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;
  private final SecretsManagerClient secretsManager;

  /**
   * @param env the environment {@code env:} references read (the worker passes {@link
   *     System#getenv()}; tests pass a map)
   * @param secretsManager the client for {@code secretsmanager:} references; null when the worker
   *     has none configured, in which case such references fail non-retryably
   */
  public SecretResolver(Map<String, String> env, SecretsManagerClient secretsManager) {
    this.env = Objects.requireNonNull(env, "env");
    this.secretsManager = secretsManager;
  }

  /** The process environment and files; {@code secretsmanager:} references are refused. */
  public static SecretResolver fromEnvironment() {
    return new SecretResolver(System.getenv(), null);
  }

  /** The process environment, files and AWS Secrets Manager through {@code secretsManager}. */
  public static SecretResolver fromEnvironment(SecretsManagerClient secretsManager) {
    return new SecretResolver(
        System.getenv(), Objects.requireNonNull(secretsManager, "secretsManager"));
  }

  /** The secret {@code ref} points at; never null or empty. */
  public String resolve(String ref) {
    if (ref == null || ref.isBlank()) throw unusable("(none)", "a password reference is required");
    String value;
    if (ref.startsWith(ENV)) {
      value = fromEnv(ref, ref.substring(ENV.length()));
    } else if (ref.startsWith(FILE)) {
      value = fromFile(ref, ref.substring(FILE.length()));
    } else if (ref.startsWith(SECRETS_MANAGER)) {
      value = fromSecretsManager(ref, ref.substring(SECRETS_MANAGER.length()));
    } else {
      // Do not echo the reference: a password pasted where the reference belongs would leak.
      throw ApplicationFailure.newNonRetryableFailure(
          "password reference is not env:NAME, "
              + "file:/path or secretsmanager:ID (the reference itself is not shown)",
          ErrorTypes.INVALID_INPUT);
    }
    if (value.isEmpty()) throw unusable(ref, "resolves to an empty value");
    return value;
  }

  private String fromEnv(String ref, String name) {
    if (name.isEmpty()) throw unusable(ref, "names no variable");
    String value = env.get(name);
    if (value == null)
      throw unusable(ref, "variable " + name + " is not set in the worker's environment");
    return value;
  }

  private static String fromFile(String ref, String path) {
    if (path.isBlank()) throw unusable(ref, "names no file");
    try {
      return Files.readString(Path.of(path), StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw unusable(ref, "no such file on the worker");
    } catch (AccessDeniedException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "password reference " + ref + ": the worker may not read this file",
          ErrorTypes.ACCESS_DENIED);
    } catch (IOException e) {
      // Not the exception message: some include file contents in rare cases; the class is enough.
      throw ApplicationFailure.newFailure(
          "password reference " + ref + ": reading failed (" + e.getClass().getSimpleName() + ")",
          SECRET_UNAVAILABLE);
    }
  }

  private String fromSecretsManager(String ref, String secretId) {
    if (secretId.isBlank()) throw unusable(ref, "names no secret");
    if (secretsManager == null) {
      throw unusable(
          ref, "AWS Secrets Manager is not configured on this worker; use env: or file:");
    }
    GetSecretValueResponse r =
        AwsFailures.call(
            "GetSecretValue",
            "secret " + secretId,
            () -> secretsManager.getSecretValue(b -> b.secretId(secretId)));
    String s = r.secretString();
    if (s == null) throw unusable(ref, "the secret holds binary data, not a SecretString");
    if (!s.stripLeading().startsWith("{")) return s;
    try {
      JsonNode password = JSON.readTree(s).get("password");
      if (password == null || !password.isTextual()) {
        throw unusable(ref, "the secret is a JSON object without a text \"password\" field");
      }
      return password.asText();
    } catch (IOException e) {
      throw unusable(ref, "the secret starts like JSON but does not parse");
    }
  }

  private static ApplicationFailure unusable(String ref, String why) {
    return ApplicationFailure.newNonRetryableFailure(
        "password reference " + ref + ": " + why, ErrorTypes.INVALID_INPUT);
  }
}
