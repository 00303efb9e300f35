package dev.dbops.activities.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.NotifyActivities;
import dev.dbops.workflows.common.RunNotice;
import dev.dbops.workflows.common.WaitNotice;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people in a chat channel as well as the log: every notice goes to {@link
 * LogNotifyActivities} (the log line), then is POSTed as Slack-compatible JSON ({@link
 * SlackMessages}) to the webhook.
 *
 * <p>A post that fails throws: {@value #WEBHOOK_UNAVAILABLE} (retryable: no answer in time,
 * connection refused, HTTP 408 / 429 / 5xx) or {@value #WEBHOOK_REFUSED} (non-retryable: any other
 * non-2xx, e.g. a revoked webhook's 404). Temporal retries per the notice's options, and the
 * workflow's {@code PeopleNotifier} turns a final failure into a warning: a broken webhook never
 * fails a run. The log part is idempotent (a line), so retries only repeat the line.
 *
 * <p>The webhook URL holds the channel's token. It is never logged and never put in a failure
 * message (those end up in workflow history): messages say "the webhook" and the status code. Each
 * post is counted as {@value #POSTS}{@code {notice,outcome}}.
 */
public final class WebhookNotifyActivities implements NotifyActivities {
  private static final Logger log = LoggerFactory.getLogger(WebhookNotifyActivities.class);

  /** Retryable: the webhook did not answer, or answered "try later". Candidate for ErrorTypes. */
  public static final String WEBHOOK_UNAVAILABLE = "WebhookUnavailable";

  /** Non-retryable: the webhook refused the message (bad URL, revoked, payload refused). */
  public static final String WEBHOOK_REFUSED = "WebhookRefused";

  public static final String POSTS = "dbops_notify_webhook_posts_total";

  /** A receiver's error body shown in a failure only when it looks like Slack's short codes. */
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.\\- ]{1,60}");

  private final LogNotifyActivities logNotify;
  private final WebhookSettings settings;
  private final SecretResolver secrets;
  private final SlackMessages messages;
  private final MeterRegistry registry;
  private final HttpClient http;

  public WebhookNotifyActivities(
      LogNotifyActivities logNotify,
      WebhookSettings settings,
      SecretResolver secrets,
      MeterRegistry registry) {
    this.logNotify = logNotify;
    this.settings = settings;
    this.secrets = secrets;
    this.messages = new SlackMessages(settings.temporalUi(), settings.namespace());
    this.registry = registry;
    // Redirects are not followed: a webhook that moved is a configuration to fix.
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public void waitingForPerson(WaitNotice notice) {
    logNotify.waitingForPerson(notice);
    post("waiting", notice.workflowId(), messages.waiting(notice.printable()));
  }

  @Override
  public void personResponded(WaitNotice notice) {
    logNotify.personResponded(notice);
    post("responded", notice.workflowId(), messages.responded(notice.printable()));
  }

  @Override
  public void runEnded(RunNotice notice) {
    logNotify.runEnded(notice);
    post(
        notice.outcome() == null ? "ended" : notice.outcome().toLowerCase(Locale.ROOT),
        notice.workflowId(),
        messages.ended(notice.printable()));
  }

  private void post(String kind, String workflowId, ObjectNode message) {
    URI url = webhookUrl();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(settings.requestTimeout())
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    SlackMessages.toJson(message), StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw failed(
          kind,
          workflowId,
          "timeout",
          "the webhook did not answer within "
              + (e instanceof HttpConnectTimeoutException
                      ? settings.connectTimeout()
                      : settings.requestTimeout())
                  .toMillis()
              + " ms",
          true);
    } catch (IOException e) {
      // The exception's message is not shown: some name the host, and the URL is a secret.
      throw failed(
          kind,
          workflowId,
          "unreachable",
          "the webhook could not be reached (" + e.getClass().getSimpleName() + ")",
          true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(kind, workflowId, "interrupted", "posting to the webhook was interrupted", true);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      count(kind, "ok");
      log.debug("{}: {} notice posted to the webhook", workflowId, kind);
      return;
    }
    boolean retryable = status == 408 || status == 429 || status >= 500;
    String body = response.body() == null ? "" : response.body().strip();
    throw failed(
        kind,
        workflowId,
        "http_" + status,
        "the webhook answered HTTP "
            + status
            + (ERROR_CODE.matcher(body).matches() ? " (" + body + ")" : ""),
        retryable);
  }

  private URI webhookUrl() {
    String value;
    try {
      value = secrets.resolve(settings.urlRef());
    } catch (ApplicationFailure f) {
      count("any", "unresolved");
      throw f;
    }
    try {
      URI url = URI.create(value.strip());
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && url.getHost() != null) return url;
    } catch (IllegalArgumentException e) {
      // fall through: not a URL
    }
    count("any", "unresolved");
    throw ApplicationFailure.newNonRetryableFailure(
        "webhook reference "
            + settings.urlRef()
            + ": does not resolve to an http(s) URL (the value is not shown)",
        ErrorTypes.INVALID_INPUT);
  }

  private ApplicationFailure failed(
      String kind, String workflowId, String outcome, String why, boolean retryable) {
    count(kind, outcome);
    log.warn(
        "{}: {} notice not delivered: {}{}",
        workflowId,
        kind,
        why,
        retryable ? " (Temporal retries it)" : "");
    String message = kind + " notice not delivered: " + why;
    return retryable
        ? ApplicationFailure.newFailure(message, WEBHOOK_UNAVAILABLE)
        : ApplicationFailure.newNonRetryableFailure(message, WEBHOOK_REFUSED);
  }

  private void count(String kind, String outcome) {
    registry.counter(POSTS, "notice", kind, "outcome", outcome).increment();
  }
}
