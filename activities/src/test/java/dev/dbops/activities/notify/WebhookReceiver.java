package dev.dbops.activities.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local chat webhook on 127.0.0.1: records every POST (content type and JSON body) and answers
 * with the scripted statuses in order, then 200. The path carries a token, as Slack's does, so
 * tests can check it never leaks.
 */
final class WebhookReceiver implements AutoCloseable {
  static final String TOKEN = "T0DBOPS/B0TEST/s3cr3tWebhookToken";

  record Post(String contentType, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
  private volatile Duration delay = Duration.ZERO;

  WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/services/" + TOKEN, this::handle);
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "webhook-receiver");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/services/" + TOKEN);
  }

  /** The next answers, in order; 200 after them. */
  WebhookReceiver answer(Integer... codes) {
    statuses.addAll(List.of(codes));
    return this;
  }

  /** Waits this long before answering (a hanging receiver). */
  WebhookReceiver delay(Duration d) {
    delay = d;
    return this;
  }

  List<Post> posts() {
    return posts;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      posts.add(
          new Post(
              exchange.getRequestHeaders().getFirst("Content-Type"),
              "POST".equals(exchange.getRequestMethod()) ? JSON.readTree(body) : null));
      if (!delay.isZero()) {
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Integer status = statuses.poll();
      int code = status == null ? 200 : status;
      byte[] answer =
          (code == 200 ? "ok" : code == 404 ? "no_service" : "server_error")
              .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(code, answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
