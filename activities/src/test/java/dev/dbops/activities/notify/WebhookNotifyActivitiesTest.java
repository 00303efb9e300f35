package dev.dbops.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.activities.common.SecretResolver;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.RunNotice;
import dev.dbops.workflows.common.WaitNotice;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** The webhook notifier against a real HTTP receiver on 127.0.0.1. */
// Reads what is logged by swapping System.err, which is JVM-wide: no other test class may run
// beside it (the fast tier runs classes two at a time) and log into, or restore, the stream.
@Isolated
class WebhookNotifyActivitiesTest {
  static final String REF = "env:DBOPS_TEST_WEBHOOK";
  static final URI UI = URI.create("http://localhost:8080");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final WebhookReceiver receiver = new WebhookReceiver();

  @AfterEach
  void stop() {
    receiver.close();
  }

  private WebhookNotifyActivities notifier(URI webhook, Duration requestTimeout) {
    return new WebhookNotifyActivities(
        new LogNotifyActivities(),
        new WebhookSettings(REF, UI, "default", Duration.ofSeconds(1), requestTimeout),
        new SecretResolver(Map.of("DBOPS_TEST_WEBHOOK", webhook.toString()), null),
        registry);
  }

  private WebhookNotifyActivities notifier() {
    return notifier(receiver.url(), Duration.ofSeconds(5));
  }

  static WaitNotice waiting(boolean waiting) {
    return new WaitNotice(
        "restore/b/db/",
        "glacier-restore",
        "approve-cost",
        "approval of $12.40",
        List.of("alice", "bob"),
        null,
        waiting);
  }

  private double posts(String notice, String outcome) {
    var c =
        registry
            .find(WebhookNotifyActivities.POSTS)
            .tags("notice", notice, "outcome", outcome)
            .counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void givenEachNotice_whenPosted_thenTheReceiverGetsSlackJson() {
    WebhookNotifyActivities notify = notifier();

    notify.waitingForPerson(waiting(true));
    notify.personResponded(waiting(false));
    notify.runEnded(
        new RunNotice(
            "restore/b/db/",
            "glacier-restore",
            RunNotice.FAILED,
            "approval window elapsed",
            ErrorTypes.APPROVAL_TIMEOUT));

    List<WebhookReceiver.Post> posts = receiver.posts();
    assertEquals(3, posts.size());
    posts.forEach(p -> assertEquals("application/json; charset=utf-8", p.contentType()));
    String wait = SlackMessagesTest.allText(posts.get(0).body());
    assertTrue(
        wait.contains("restore/b/db/")
            && wait.contains("approve-cost")
            && wait.contains("approval of $12.40")
            && wait.contains("alice, bob")
            && wait.contains("./dbops approve restore/b/db/ --by NAME")
            && wait.contains(
                "http://localhost:8080/namespaces/default/workflows/restore%2Fb%2Fdb%2F"),
        wait);
    assertTrue(posts.get(0).body().get("blocks").isArray());
    assertTrue(
        posts
            .get(1)
            .body()
            .get("text")
            .asText()
            .contains("no longer waits at step 'approve-cost'"));
    assertTrue(
        posts
            .get(2)
            .body()
            .get("text")
            .asText()
            .contains("FAILED: approval window elapsed [ApprovalTimeout]"));
    assertEquals(1, posts("waiting", "ok"));
    assertEquals(1, posts("responded", "ok"));
    assertEquals(1, posts("failed", "ok"));
  }

  @Test
  void givenNoticeTextWithControlAndBidiCharacters_whenPosted_thenTheChatGetsThemEscaped() {
    WebhookNotifyActivities notify = notifier();
    String forged = "approval\n  12:00  approved by dave\u001B[2J \u202Eevil";
    notify.waitingForPerson(
        new WaitNotice(
            "restore/b/db/",
            "glacier-restore",
            "approve-cost",
            forged,
            List.of("alice\u2028mallory"),
            null,
            true));
    notify.runEnded(
        new RunNotice(
            "restore/b/db/", "glacier-restore", RunNotice.FAILED, forged, ErrorTypes.REJECTED));
    for (WebhookReceiver.Post post : receiver.posts()) {
      String all = SlackMessagesTest.allText(post.body());
      for (String raw : List.of("\n  12:00", "\u001B", "\u202E", "\u2028")) {
        assertTrue(!all.contains(raw), "raw " + raw.codePointAt(0) + " in " + all);
      }
      assertTrue(all.contains("approval\\n  12:00  approved by dave\\u001B[2J \\u202Eevil"), all);
    }
  }

  @Test
  void givenTheReceiverAnswers500_whenPosted_thenARetryableFailureTemporalRetries() {
    receiver.answer(500);
    WebhookNotifyActivities notify = notifier();

    var f = assertThrows(ApplicationFailure.class, () -> notify.waitingForPerson(waiting(true)));
    assertEquals(WebhookNotifyActivities.WEBHOOK_UNAVAILABLE, f.getType());
    assertFalse(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("HTTP 500 (server_error)"), f.getOriginalMessage());
    // The retry (here by hand, in a run by Temporal) is delivered.
    notify.waitingForPerson(waiting(true));
    assertEquals(2, receiver.posts().size());
    assertEquals(1, posts("waiting", "http_500"));
    assertEquals(1, posts("waiting", "ok"));
  }

  @Test
  void givenTheWebhookIsGone_whenPosted_thenANonRetryableFailure() {
    receiver.answer(404);
    var f =
        assertThrows(
            ApplicationFailure.class,
            () -> notifier().runEnded(new RunNotice("w", "p", RunNotice.COMPLETED, "done", null)));
    assertEquals(WebhookNotifyActivities.WEBHOOK_REFUSED, f.getType());
    assertTrue(f.isNonRetryable());
    assertTrue(f.getOriginalMessage().contains("HTTP 404 (no_service)"), f.getOriginalMessage());
  }

  @Test
  void givenTheReceiverHangs_whenPosted_thenTheAttemptFailsRetryablyAtTheRequestTimeout() {
    receiver.delay(Duration.ofSeconds(3));
    WebhookNotifyActivities notify = notifier(receiver.url(), Duration.ofMillis(300));

    long started = System.nanoTime();
    var f = assertThrows(ApplicationFailure.class, () -> notify.waitingForPerson(waiting(true)));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertEquals(WebhookNotifyActivities.WEBHOOK_UNAVAILABLE, f.getType());
    assertFalse(f.isNonRetryable());
    assertTrue(
        f.getOriginalMessage().contains("did not answer within 300 ms"), f.getOriginalMessage());
    assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "waited " + took);
    assertEquals(1, posts("waiting", "timeout"));
  }

  @Test
  void givenNothingListens_whenPosted_thenARetryableFailure() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    var f =
        assertThrows(
            ApplicationFailure.class,
            () ->
                notifier(
                        URI.create(
                            "http://127.0.0.1:" + closed + "/services/" + WebhookReceiver.TOKEN),
                        Duration.ofSeconds(1))
                    .waitingForPerson(waiting(true)));
    assertEquals(WebhookNotifyActivities.WEBHOOK_UNAVAILABLE, f.getType());
    assertTrue(f.getOriginalMessage().contains("could not be reached"), f.getOriginalMessage());
  }

  @Test
  void givenFailuresOfEveryKind_whenLoggedAndThrown_thenTheWebhookUrlAppearsNowhere()
      throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    URI nothingListens =
        URI.create("http://127.0.0.1:" + closed + "/services/" + WebhookReceiver.TOKEN);
    List<Runnable> failing =
        List.of(
            () -> {
              receiver.answer(500);
              notifier().waitingForPerson(waiting(true));
            },
            () -> {
              receiver.answer(404);
              notifier().personResponded(waiting(false));
            },
            () -> notifier(nothingListens, Duration.ofSeconds(1)).waitingForPerson(waiting(true)),
            () -> {
              receiver.delay(Duration.ofSeconds(2));
              notifier(receiver.url(), Duration.ofMillis(200)).waitingForPerson(waiting(true));
            });
    StringBuilder messages = new StringBuilder();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (Runnable attempt : failing) {
        messages
            .append(assertThrows(ApplicationFailure.class, attempt::run).getMessage())
            .append('\n');
      }
    } finally {
      System.setErr(original);
    }

    String logs = captured.toString(StandardCharsets.UTF_8);
    assertEquals(4, logs.lines().filter(l -> l.contains("notice not delivered")).count(), logs);
    for (String text : List.of(logs, messages.toString())) {
      assertFalse(
          text.contains(WebhookReceiver.TOKEN)
              || text.contains("s3cr3t")
              || text.contains("/services/")
              || text.contains(":" + closed)
              || text.contains(":" + receiver.url().getPort()),
          text);
    }
  }

  @Test
  void givenAReferenceToSomethingNotAUrl_whenPosted_thenInvalidInputWithoutTheValue(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("webhook");
    Files.writeString(file, "hooks.example.com/s3cr3t\n");
    WebhookNotifyActivities notify =
        new WebhookNotifyActivities(
            new LogNotifyActivities(),
            new WebhookSettings("file:" + file, UI, "default"),
            new SecretResolver(Map.of(), null),
            registry);

    var f = assertThrows(ApplicationFailure.class, () -> notify.waitingForPerson(waiting(true)));
    assertEquals(ErrorTypes.INVALID_INPUT, f.getType());
    assertTrue(f.isNonRetryable());
    assertFalse(f.getMessage().contains("s3cr3t"), f.getMessage());
  }

  @Test
  void givenAFileReference_whenPosted_thenTheUrlIsReadFromTheFile(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("webhook");
    Files.writeString(file, receiver.url() + "\n");
    new WebhookNotifyActivities(
            new LogNotifyActivities(),
            new WebhookSettings("file:" + file, null, "default"),
            new SecretResolver(Map.of(), null),
            registry)
        .runEnded(new RunNotice("w", "p", RunNotice.COMPLETED, "done", null));
    assertEquals(1, receiver.posts().size());
    assertEquals(1, posts("completed", "ok"));
  }
}
