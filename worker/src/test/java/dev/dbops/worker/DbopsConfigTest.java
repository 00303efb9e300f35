package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.notify.LogNotifyActivities;
import dev.dbops.activities.notify.OnceNotifyActivities;
import dev.dbops.activities.notify.WebhookNotifyActivities;
import dev.dbops.client.DbopsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbopsConfigTest {

  @Test
  void givenNoSettings_whenRead_thenDocumentedDefaults() {
    DbopsConfig c = DbopsConfig.from(Map.of());
    assertEquals("127.0.0.1:7233", c.temporalAddress());
    assertEquals("default", c.namespace());
    assertEquals("dbops", c.taskQueue());
    assertEquals(9464, c.metricsPort());
    assertEquals("127.0.0.1", c.metricsHost());
    assertEquals("us-east-1", c.awsRegion());
    assertNull(c.awsEndpoint(), "unset endpoint means real AWS");
    assertTrue(!c.usesTls());
  }

  @Test
  void givenFileAndEnvironment_whenRead_thenEnvironmentWinsOverFile(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("dbops.properties");
    Files.writeString(
        file,
        "TEMPORAL_ADDRESS=temporal.internal:7233\nDBOPS_TASK_QUEUE=from-file\n"
            + "DBOPS_AWS_ENDPOINT=http://127.0.0.1:4566\n");
    DbopsConfig c =
        DbopsConfig.from(
            Map.of(
                "DBOPS_CONFIG",
                file.toString(),
                "DBOPS_TASK_QUEUE",
                "from-env",
                "DBOPS_METRICS_PORT",
                "0"));
    assertEquals("temporal.internal:7233", c.temporalAddress());
    assertEquals("from-env", c.taskQueue());
    assertEquals(0, c.metricsPort());
    assertEquals(URI.create("http://127.0.0.1:4566"), c.awsEndpoint());
  }

  @Test
  void givenBadValues_whenRead_thenMessageNamesTheVariable() {
    var port =
        assertThrows(
            DbopsConfig.InvalidConfigException.class,
            () -> DbopsConfig.from(Map.of("DBOPS_METRICS_PORT", "metrics")));
    assertTrue(port.getMessage().startsWith("DBOPS_METRICS_PORT"), port.getMessage());
    var endpoint =
        assertThrows(
            DbopsConfig.InvalidConfigException.class,
            () -> DbopsConfig.from(Map.of("DBOPS_AWS_ENDPOINT", "localhost")));
    assertTrue(endpoint.getMessage().startsWith("DBOPS_AWS_ENDPOINT"), endpoint.getMessage());
    var tls =
        assertThrows(
            DbopsConfig.InvalidConfigException.class,
            () -> DbopsConfig.from(Map.of("TEMPORAL_TLS_CERT", "/etc/dbops/client.pem")));
    assertTrue(tls.getMessage().contains("TEMPORAL_TLS_KEY"), tls.getMessage());
    var file =
        assertThrows(
            DbopsConfig.InvalidConfigException.class,
            () -> DbopsConfig.from(Map.of("DBOPS_CONFIG", "/nonexistent/dbops.properties")));
    assertTrue(file.getMessage().startsWith("DBOPS_CONFIG"), file.getMessage());
  }

  @Test
  void givenApiKey_whenDescribed_thenKeyIsNotPrinted() {
    DbopsConfig c = DbopsConfig.from(Map.of("TEMPORAL_API_KEY", "secret-key-123"));
    assertTrue(c.usesTls());
    assertTrue(!c.describe().contains("secret-key-123"), c.describe());
  }

  @Test
  void givenNoWebhook_whenRead_thenNoticesGoToTheLogOnly() {
    DbopsConfig c = DbopsConfig.from(Map.of());
    assertTrue(!c.notifiesWebhook());
    assertNull(c.temporalUiUrl());
    assertTrue(c.describe().endsWith(" notify=log"), c.describe());
    assertInstanceOf(
        LogNotifyActivities.class,
        assertInstanceOf(
                OnceNotifyActivities.class,
                Activities.notifier(
                    c, new SecretResolver(Map.of(), null), new SimpleMeterRegistry()))
            .delegate());
  }

  @Test
  void givenAWebhookReference_whenRead_thenLogAndWebhookAndTheReferenceIsNotPrinted() {
    DbopsConfig c =
        DbopsConfig.from(
            Map.of(
                "DBOPS_NOTIFY_WEBHOOK_URL_REF", "env:SLACK_OPS_WEBHOOK",
                "DBOPS_TEMPORAL_UI_URL", "http://localhost:8080"));
    assertTrue(c.notifiesWebhook());
    assertEquals(URI.create("http://localhost:8080"), c.temporalUiUrl());
    assertTrue(c.describe().endsWith(" notify=log+webhook"), c.describe());
    assertTrue(!c.describe().contains("SLACK_OPS_WEBHOOK"), c.describe());
    assertInstanceOf(
        WebhookNotifyActivities.class,
        assertInstanceOf(
                OnceNotifyActivities.class,
                Activities.notifier(
                    c, new SecretResolver(Map.of(), null), new SimpleMeterRegistry()))
            .delegate());
  }

  @Test
  void givenTheWebhookUrlItselfInsteadOfAReference_whenRead_thenRefusedWithoutEchoingIt() {
    var e =
        assertThrows(
            DbopsConfig.InvalidConfigException.class,
            () ->
                DbopsConfig.from(
                    Map.of(
                        "DBOPS_NOTIFY_WEBHOOK_URL_REF",
                        "https://hooks.slack.com/services/T0/B0/s3cr3t")));
    assertTrue(e.getMessage().startsWith("DBOPS_NOTIFY_WEBHOOK_URL_REF"), e.getMessage());
    assertTrue(
        !e.getMessage().contains("s3cr3t") && !e.getMessage().contains("hooks.slack.com"),
        e.getMessage());
    var ui =
        assertThrows(
            DbopsConfig.InvalidConfigException.class,
            () -> DbopsConfig.from(Map.of("DBOPS_TEMPORAL_UI_URL", "localhost:8080")));
    assertTrue(ui.getMessage().startsWith("DBOPS_TEMPORAL_UI_URL"), ui.getMessage());
  }
}
