package dev.dbops.activities.staging;

import static dev.dbops.activities.staging.TwoAccountSandbox.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.aws.AccountClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.activities.sql.StagingSql;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.SandboxConfig;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.sql.SqlScript;
import dev.dbops.workflows.staging.MaskingScript;
import dev.dbops.workflows.staging.MaskingSpec;
import dev.dbops.workflows.staging.StagingActivities;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code readMaskingScript}: inline, {@code file:} and {@code s3://} (the sandbox's S3), split and
 * hashed.
 */
class StagingMaskingScriptTest {
  static final String FILE_TEXT =
      """
      -- staging masking, reviewed by the DBA team
      # one more comment style

        UPDATE app.users
           SET email = CONCAT('user', id, '@example.invalid');

      UPDATE app.users SET name = 'Jane; Doe';
      UPDATE app.orders SET note = NULL
      """;
  static final List<String> STATEMENTS =
      List.of(
          "UPDATE app.users\nSET email = CONCAT('user', id, '@example.invalid')",
          "UPDATE app.users SET name = 'Jane; Doe'",
          "UPDATE app.orders SET note = NULL");
  static final List<String> VERIFY =
      List.of("SELECT COUNT(*) FROM app.users WHERE email NOT LIKE '%@example.invalid'");

  static AwsSandbox sandbox;
  static AccountClients clients;
  static TestActivityEnvironment env;
  static StagingActivities staging;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    sandbox.s3().createBucket("dbops-masking");
    sandbox
        .s3()
        .putObject(
            "dbops-masking",
            "staging/mask.sql",
            FILE_TEXT.getBytes(StandardCharsets.UTF_8),
            "STANDARD");
    clients =
        new AccountClients(AwsSettings.sandbox(sandbox.endpoint()), new SimpleMeterRegistry());
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new StagingActivitiesImpl(
            clients,
            new SecretResolver(Map.of(), null),
            MySqlSettings.loopback(),
            new SimpleMeterRegistry()));
    staging = env.newActivityStub(StagingActivities.class, TwoAccountSandbox.ONE_ATTEMPT);
  }

  @AfterAll
  static void stop() {
    env.close();
    clients.close();
    sandbox.close();
  }

  Path file(String text) throws Exception {
    Path p = tmp.resolve("mask.sql");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void
      givenAFileWithCommentsBlankLinesAndASemicolonInAString_whenRead_thenItsStatementsAndTheirHash()
          throws Exception {
    MaskingScript s =
        staging.readMaskingScript(new MaskingSpec(null, "file:" + file(FILE_TEXT), VERIFY));

    assertEquals(3, s.statements());
    assertEquals(1, s.verifyQueries());
    assertEquals(StagingSql.sha256(STATEMENTS), s.sha256());
    assertEquals(64, s.sha256().length());
    assertEquals(STATEMENTS, SqlScript.split(FILE_TEXT));
  }

  @Test
  void givenTheSameStatementsInlineInAFileAndInS3_whenRead_thenOneHash() throws Exception {
    MaskingScript inline = staging.readMaskingScript(new MaskingSpec(STATEMENTS, null, VERIFY));
    MaskingScript fromFile =
        staging.readMaskingScript(new MaskingSpec(null, "file:" + file(FILE_TEXT), VERIFY));
    MaskingScript fromS3 =
        staging.readMaskingScript(
            new MaskingSpec(null, "s3://dbops-masking/staging/mask.sql", VERIFY));

    assertEquals(inline.sha256(), fromFile.sha256());
    assertEquals(inline.sha256(), fromS3.sha256());
    assertEquals("inline", inline.source());
    assertEquals("s3://dbops-masking/staging/mask.sql", fromS3.source());
  }

  @Test
  void givenADifferentStatement_whenRead_thenADifferentHash() throws Exception {
    MaskingScript a =
        staging.readMaskingScript(new MaskingSpec(null, "file:" + file(FILE_TEXT), VERIFY));
    MaskingScript b =
        staging.readMaskingScript(
            new MaskingSpec(null, "file:" + file(FILE_TEXT.replace("NULL", "''")), VERIFY));

    assertTrue(!a.sha256().equals(b.sha256()));
  }

  @Test
  void givenAMissingFile_whenRead_thenNonRetryableInvalidInputNamingIt() {
    Path missing = tmp.resolve("nope.sql");

    ApplicationFailure f =
        failureOf(
            () -> staging.readMaskingScript(new MaskingSpec(null, "file:" + missing, VERIFY)));

    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains(missing + " does not exist"), f.getOriginalMessage());
  }

  @Test
  void givenNoSuchS3Key_whenRead_thenNonRetryableInvalidInputNamingIt() {
    ApplicationFailure f =
        failureOf(
            () ->
                staging.readMaskingScript(
                    new MaskingSpec(null, "s3://dbops-masking/staging/other.sql", VERIFY)));

    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("s3://dbops-masking/staging/other.sql not found"),
        f.getOriginalMessage());
  }

  @Test
  void givenAFileOfCommentsOnly_whenRead_thenInvalidInput() throws Exception {
    ApplicationFailure f =
        failureOf(
            () ->
                staging.readMaskingScript(
                    new MaskingSpec(null, "file:" + file("-- nothing yet\n\n"), VERIFY)));

    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(f.getOriginalMessage().contains("holds no SQL statement"), f.getOriginalMessage());
  }

  @Test
  void givenAFileTheMysqlClientCouldNotRead_whenRead_thenNonRetryableInvalidInputSayingWhere()
      throws Exception {
    ApplicationFailure f =
        failureOf(
            () ->
                staging.readMaskingScript(
                    new MaskingSpec(
                        null,
                        "file:"
                            + file(
                                "UPDATE app.users SET email = NULL;\nUPDATE app.users SET name = 'Jane;\n"),
                        VERIFY)));

    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("masking.scriptRef: file:"), f.getOriginalMessage());
    assertTrue(
        f.getOriginalMessage().contains("unterminated string (') starting at line 2, column 29"),
        f.getOriginalMessage());
  }

  @Test
  void givenAReferenceThatIsNeitherFileNorS3_whenRead_thenInvalidInput() {
    ApplicationFailure f =
        failureOf(
            () ->
                staging.readMaskingScript(
                    new MaskingSpec(null, "https://example.com/mask.sql", VERIFY)));

    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
  }
}
