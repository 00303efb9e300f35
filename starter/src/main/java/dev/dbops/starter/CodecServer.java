package dev.dbops.starter;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Temporal's codec server protocol over the dbops payload codec, so the Temporal UI and {@code
 * temporal --codec-endpoint} show what the worker encrypted: {@code POST /encode} and {@code POST
 * /decode} (also under one path segment, {@code /<namespace>/decode}, the CLI's templated
 * endpoint), each taking and answering {@code {"payloads":[{"metadata":{k: base64}, "data":
 * base64}]}} (protobuf's JSON form of {@code Payloads}).
 *
 * <p>Every request passes the same gate, in this order, in {@link #handle}: CORS preflight ({@code
 * OPTIONS}, answered without authentication, with CORS headers only for the one allowed origin),
 * path and method (404 / 405), the credential (401), the body bound (413 past {@link
 * #MAX_BODY_BYTES}), the JSON (400), then the codec. The credential is the bearer token ({@code
 * Authorization: Bearer …}, what {@code temporal --codec-auth} sends), or — for a UI without a
 * login of its own, which has no token to pass — the session cookie {@code GET /login} sets once
 * the token is typed there, accepted only on requests from the allowed origin (the UI sends it with
 * "include credentials"). The cookie holds a digest of the token, never the token; every comparison
 * is constant-time. A payload the codec cannot decode (a key id this server has no key for, an
 * altered ciphertext) fails the whole request with 400 naming the key id, as the SDKs' codec
 * handlers do; the UI then shows the payloads as stored. Nothing of a body or of the token is
 * logged or echoed. The UI's {@code X-Namespace} header is accepted and not used: one key set (the
 * worker's) serves every namespace.
 */
final class CodecServer implements AutoCloseable {
  /** Bodies above this are refused with 413 (the Temporal server's own payload limit is 2 MiB). */
  static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

  static final String ENCODE = "encode";
  static final String DECODE = "decode";

  /** The request headers the UI sends cross-origin. */
  static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Namespace";

  static final String ALLOWED_METHODS = "POST, OPTIONS";

  /** How long a browser may cache a preflight answer, in seconds. */
  static final int PREFLIGHT_MAX_AGE = 600;

  /** {@code /encode}, {@code /decode}, or either under one namespace segment. */
  private static final Pattern PATH = Pattern.compile("(?:/[^/]+)?/(encode|decode)/?");

  static final String LOGIN = "/login";
  static final String SESSION_COOKIE = "dbops-codec-session";

  /** How long a browser keeps the session cookie, in seconds. */
  static final int SESSION_MAX_AGE = 12 * 3600;

  /** A login form's body: {@code token=…}. */
  static final int MAX_LOGIN_BYTES = 4096;

  private static final JsonFormat.Parser PARSER = JsonFormat.parser();

  /** Empty data is written as {@code ""}, not left out: the UI reads every payload's data. */
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer()
          .includingDefaultValueFields(
              java.util.Set.of(Payload.getDescriptor().findFieldByName("data")))
          .omittingInsignificantWhitespace();

  private final PayloadCodec codec;
  private final byte[] tokenDigest;
  private final String session;
  private final String corsOrigin;
  private final HttpServer server;
  private final ExecutorService executor;

  /**
   * Binds and starts serving.
   *
   * @param token the bearer token every encode / decode must carry
   * @param corsOrigin the one browser origin answered with CORS headers (the UI's, e.g. {@code
   *     http://localhost:8080}), or null for none (CLI use only)
   */
  CodecServer(PayloadCodec codec, String token, String corsOrigin, InetSocketAddress bind)
      throws IOException {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.tokenDigest = sha256(Objects.requireNonNull(token, "token"));
    this.session = java.util.HexFormat.of().formatHex(sha256("dbops-codec-session\n" + token));
    this.corsOrigin = corsOrigin;
    this.server = HttpServer.create(bind, 64);
    this.executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "dbops-codec-server");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Where it listens (the actual port when bound to 0). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops accepting, lets requests in flight finish for up to {@code graceSeconds}. */
  void stop(int graceSeconds) {
    server.stop(graceSeconds);
    executor.shutdownNow();
  }

  @Override
  public void close() {
    stop(0);
  }

  /**
   * A valid {@code --cors-origin}: {@code scheme://host[:port]} with http or https, nothing else
   * (no path, no wildcard, no trailing slash), since a browser's {@code Origin} header is compared
   * to it exactly. Returns null when valid, else why not.
   */
  static String invalidOrigin(String origin) {
    if (origin.contains("*"))
      return "a wildcard is not accepted: name the UI's origin, e.g. http://localhost:8080";
    URI u;
    try {
      u = new URI(origin);
    } catch (java.net.URISyntaxException e) {
      return "not an origin like http://localhost:8080";
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
        || u.getHost() == null
        || u.getRawUserInfo() != null
        || !(u.getRawPath() == null || u.getRawPath().isEmpty())
        || u.getRawQuery() != null
        || u.getRawFragment() != null) {
      return "an origin is scheme://host[:port] (http or https), without a path or trailing slash,"
          + " e.g. http://localhost:8080";
    }
    return null;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String origin = exchange.getRequestHeaders().getFirst("Origin");
      boolean allowedOrigin = corsOrigin != null && corsOrigin.equals(origin);
      Headers response = exchange.getResponseHeaders();
      if (corsOrigin != null) response.add("Vary", "Origin");
      if (allowedOrigin) {
        response.set("Access-Control-Allow-Origin", corsOrigin);
        response.set("Access-Control-Allow-Credentials", "true");
      }
      String method = exchange.getRequestMethod();
      if ("OPTIONS".equals(method)) {
        if (!allowedOrigin) {
          send(exchange, 403, "this origin is not allowed");
          return;
        }
        response.set("Access-Control-Allow-Methods", ALLOWED_METHODS);
        response.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        response.set("Access-Control-Max-Age", String.valueOf(PREFLIGHT_MAX_AGE));
        exchange.sendResponseHeaders(204, -1);
        return;
      }
      if (LOGIN.equals(exchange.getRequestURI().getRawPath())) {
        login(exchange);
        return;
      }
      var path = PATH.matcher(exchange.getRequestURI().getRawPath());
      if (!path.matches()) {
        send(exchange, 404, "not found: POST /encode or /decode");
        return;
      }
      if (!"POST".equals(method)) {
        response.set("Allow", ALLOWED_METHODS);
        send(exchange, 405, "method not allowed: POST");
        return;
      }
      if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))
          && !(allowedOrigin && hasSession(exchange.getRequestHeaders().get("Cookie")))) {
        response.set("WWW-Authenticate", "Bearer realm=\"dbops-codec\"");
        send(exchange, 401, "unauthorized: send Authorization: Bearer <token>");
        return;
      }
      byte[] body = readBounded(exchange);
      if (body == null) {
        send(exchange, 413, "request body larger than " + MAX_BODY_BYTES + " bytes");
        return;
      }
      Payloads.Builder in = Payloads.newBuilder();
      try {
        PARSER.merge(new String(body, StandardCharsets.UTF_8), in);
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        send(
            exchange,
            400,
            "the body is not {\"payloads\":[{\"metadata\":{…},\"data\":\"…\"}]} with base64"
                + " bytes: "
                + e.getMessage());
        return;
      }
      List<Payload> out;
      try {
        out =
            ENCODE.equals(path.group(1))
                ? codec.encode(in.getPayloadsList())
                : codec.decode(in.getPayloadsList());
      } catch (PayloadCodecException e) {
        send(exchange, 400, e.getMessage());
        return;
      }
      byte[] json =
          PRINTER.print(Payloads.newBuilder().addAllPayloads(out)).getBytes(StandardCharsets.UTF_8);
      response.set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, json.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(json);
      }
    }
  }

  private boolean authorized(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
    // Digests of equal length, compared in constant time: neither content nor length leaks.
    return MessageDigest.isEqual(tokenDigest, sha256(header.substring(7).strip()));
  }

  private boolean hasSession(List<String> cookieHeaders) {
    if (cookieHeaders == null) return false;
    byte[] expected = session.getBytes(StandardCharsets.US_ASCII);
    boolean found = false;
    for (String header : cookieHeaders) {
      for (String cookie : header.split(";")) {
        String c = cookie.strip();
        if (c.startsWith(SESSION_COOKIE + "=")) {
          found |=
              MessageDigest.isEqual(
                  expected,
                  c.substring(SESSION_COOKIE.length() + 1).getBytes(StandardCharsets.US_ASCII));
        }
      }
    }
    return found;
  }

  /**
   * {@code GET /login}: a form for the token; {@code POST /login} with the right one sets the
   * session cookie (HttpOnly, SameSite=Strict) the UI's requests then carry.
   */
  private void login(HttpExchange exchange) throws IOException {
    Headers response = exchange.getResponseHeaders();
    response.set("Cache-Control", "no-store");
    response.set("X-Frame-Options", "DENY");
    if ("GET".equals(exchange.getRequestMethod())) {
      html(
          exchange,
          200,
          "<p>dbops codec server: type the codec token (DBOPS_CODEC_TOKEN) once; the Temporal UI"
              + (corsOrigin == null ? "" : " at " + corsOrigin)
              + " can then decode payloads in this browser.</p>"
              + "<form method=\"post\" action=\""
              + LOGIN
              + "\"><input type=\"password\" name=\"token\""
              + " autocomplete=\"off\" autofocus> <button>Sign in</button></form>");
      return;
    }
    if (!"POST".equals(exchange.getRequestMethod())) {
      response.set("Allow", "GET, POST");
      send(exchange, 405, "method not allowed: GET or POST");
      return;
    }
    byte[] body = readBounded(exchange, MAX_LOGIN_BYTES);
    String token = null;
    if (body != null) {
      for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
        if (pair.startsWith("token=")) {
          token = java.net.URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
        }
      }
    }
    if (token == null || !MessageDigest.isEqual(tokenDigest, sha256(token.strip()))) {
      html(exchange, 401, "<p>Wrong token. <a href=\"" + LOGIN + "\">Try again</a>.</p>");
      return;
    }
    response.add(
        "Set-Cookie",
        SESSION_COOKIE
            + "="
            + session
            + "; Path=/; Max-Age="
            + SESSION_MAX_AGE
            + "; HttpOnly; SameSite=Strict");
    html(
        exchange,
        200,
        "<p>Signed in for "
            + SESSION_MAX_AGE / 3600
            + " h: reload the Temporal UI"
            + (corsOrigin == null ? "" : " (" + corsOrigin + ")")
            + ".</p>");
  }

  private static void html(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes =
        ("<!doctype html><title>dbops codec server</title>" + body)
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  private static byte[] readBounded(HttpExchange exchange) throws IOException {
    return readBounded(exchange, MAX_BODY_BYTES);
  }

  /** The body, or null when it is larger than {@code max} bytes (read no further). */
  private static byte[] readBounded(HttpExchange exchange, int max) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.strip()) > max) return null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[16 * 1024];
    try (InputStream in = exchange.getRequestBody()) {
      int n;
      while ((n = in.read(chunk)) != -1) {
        if (buf.size() + n > max) return null;
        buf.write(chunk, 0, n);
      }
    }
    return buf.toByteArray();
  }

  private static void send(HttpExchange exchange, int status, String message) throws IOException {
    byte[] text = (message + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, text.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(text);
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
