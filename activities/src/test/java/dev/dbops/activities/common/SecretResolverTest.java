package dev.dbops.activities.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

class SecretResolverTest {
  private static final String SECRET = "s3cr3t-Value";
  private final SecretResolver resolver =
      new SecretResolver(Map.of("DB_PASSWORD", SECRET, "EMPTY", ""), null);

  private static ApplicationFailure refused(SecretResolver r, String ref) {
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> r.resolve(ref));
    assertFalse(
        f.getOriginalMessage().contains(SECRET), "never the value: " + f.getOriginalMessage());
    return f;
  }

  @Test
  void givenEnvRef_whenResolved_thenTheVariable() {
    assertEquals(SECRET, resolver.resolve("env:DB_PASSWORD"));
  }

  @Test
  void givenUnsetOrEmptyVariable_whenResolved_thenNonRetryableInvalidInputNamingIt() {
    ApplicationFailure unset = refused(resolver, "env:NOPE");
    assertEquals(ErrorTypes.INVALID_INPUT, unset.getType());
    assertTrue(unset.isNonRetryable());
    assertTrue(unset.getOriginalMessage().contains("NOPE is not set"), unset.getOriginalMessage());
    assertTrue(refused(resolver, "env:EMPTY").getOriginalMessage().contains("empty"));
  }

  @Test
  void givenFileRef_whenResolved_thenTrimmedContents(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("password");
    Files.writeString(file, "  " + SECRET + "\n");
    assertEquals(SECRET, resolver.resolve("file:" + file));
  }

  @Test
  void givenMissingFile_whenResolved_thenNonRetryableInvalidInput(@TempDir Path dir) {
    ApplicationFailure f = refused(resolver, "file:" + dir.resolve("absent"));
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(f.isNonRetryable());
  }

  @Test
  void givenSecretsManagerRefWithoutAClient_whenResolved_thenNonRetryableNotConfigured() {
    ApplicationFailure f = refused(resolver, "secretsmanager:prod/db");
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("not configured"), f.getOriginalMessage());
  }

  @Test
  void givenAPasswordWhereTheRefBelongs_whenResolved_thenRefusedWithoutEchoingIt() {
    ApplicationFailure f = refused(resolver, SECRET);
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
  }

  /**
   * Answers GetSecretValue with {@code secretString} for any id (the sandbox has no Secrets
   * Manager).
   */
  private static SecretResolver withSecret(String secretString) {
    SecretsManagerClient sm =
        new SecretsManagerClient() {
          @Override
          public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
            return GetSecretValueResponse.builder()
                .name(request.secretId())
                .secretString(secretString)
                .build();
          }

          @Override
          public String serviceName() {
            return "secretsmanager";
          }

          @Override
          public void close() {}
        };
    return new SecretResolver(Map.of(), sm);
  }

  @Test
  void givenAPlainSecretString_whenResolved_thenItIsThePassword() {
    assertEquals(SECRET, withSecret(SECRET).resolve("secretsmanager:prod/db"));
  }

  @Test
  void givenAnRdsStyleJsonSecret_whenResolved_thenItsPasswordField() {
    String json = "{\"username\":\"admin\",\"password\":\"" + SECRET + "\",\"engine\":\"mysql\"}";
    assertEquals(SECRET, withSecret(json).resolve("secretsmanager:rds!cluster-abc"));
  }

  @Test
  void givenJsonWithoutAPassword_whenResolved_thenNonRetryableInvalidInputWithoutTheContents() {
    ApplicationFailure f =
        refused(withSecret("{\"token\":\"" + SECRET + "\"}"), "secretsmanager:prod/db");
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(f.isNonRetryable());
  }
}
