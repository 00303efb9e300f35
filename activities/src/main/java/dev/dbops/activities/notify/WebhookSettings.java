package dev.dbops.activities.notify;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the webhook notifier posts.
 *
 * @param urlRef a secret reference to the webhook URL ({@code env:NAME}, {@code file:/path}, {@code
 *     secretsmanager:ID}); the URL carries the channel's token, so only the reference is kept, and
 *     it is resolved on every post (a rotated file is picked up)
 * @param temporalUi base URL of the Temporal UI for links; null leaves links out
 * @param namespace Temporal namespace, for links
 * @param connectTimeout TCP + TLS connect limit of one post
 * @param requestTimeout limit from sending to the response status of one post
 */
public record WebhookSettings(
    String urlRef,
    URI temporalUi,
    String namespace,
    Duration connectTimeout,
    Duration requestTimeout) {
  /**
   * Both limits together stay below the notice's start-to-close timeout (LOCAL_NOTIFY: 10 s), so a
   * hanging receiver fails the attempt here, with a clear message, and Temporal retries it.
   */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  public WebhookSettings {
    Objects.requireNonNull(urlRef, "urlRef");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  public WebhookSettings(String urlRef, URI temporalUi, String namespace) {
    this(urlRef, temporalUi, namespace, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
  }
}
