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

class SecretResolverTest {
  private static final String SECRET = "s3cr3t-Value";
  private final SecretResolver resolver = new SecretResolver(Map.of("DB_PASSWORD", SECRET, "EMPTY", ""), null);

  private static ApplicationFailure refused(SecretResolver r, String ref) {
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> r.resolve(ref));
    assertFalse(f.getOriginalMessage().contains(SECRET), "never the value: " + f.getOriginalMessage());
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
}
