package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.client.codec.AesGcmPayloadCodec;
import dev.dbops.client.codec.PayloadKeys;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The codec server over real HTTP on loopback, with requests shaped as the Temporal UI sends them
 * ({@code Content-Type: application/json}, {@code X-Namespace}, the UI's {@code Origin}, metadata
 * and data base64 as protobuf's JSON writes bytes).
 */
class CodecServerTest {
  static final String UI = "http://localhost:8080";
  static final String TOKEN = "t0ken-for-tests-0123456789abcdef";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private CodecServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  static PayloadKeys keys(String currentId, Map<String, byte[]> old) {
    return PayloadKeys.of(currentId, key(currentId), old);
  }

  /** A distinct 32-byte key per id. */
  static byte[] key(String id) {
    byte[] k = new byte[PayloadKeys.KEY_BYTES];
    for (int i = 0; i < k.length; i++) k[i] = (byte) (id.hashCode() + i);
    return k;
  }

  CodecServer start(PayloadKeys keys) throws IOException {
    server =
        new CodecServer(
            new AesGcmPayloadCodec(keys),
            TOKEN,
            UI,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return server;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }

  /** A payload as the UI sends it: every bytes field base64. */
  static ObjectNode uiPayload(Map<String, String> metadata, String data) {
    ObjectNode p = JSON.createObjectNode();
    ObjectNode md = p.putObject("metadata");
    metadata.forEach((k, v) -> md.put(k, b64(v.getBytes(StandardCharsets.UTF_8))));
    p.put("data", b64(data.getBytes(StandardCharsets.UTF_8)));
    return p;
  }

  static ObjectNode body(JsonNode... payloads) {
    ObjectNode b = JSON.createObjectNode();
    ArrayNode list = b.putArray("payloads");
    for (JsonNode p : payloads) list.add(p);
    return b;
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static String text(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  HttpResponse<String> post(String path, String body, String authorization) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .header("X-Namespace", "default")
            .header("Origin", UI)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) r.header("Authorization", authorization);
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, JsonNode body) throws Exception {
    return post(path, body.toString(), "Bearer " + TOKEN);
  }

  @Test
  void givenTheUisRequestShape_whenEncodedThenDecoded_thenThePayloadsComeBackAsSent()
      throws Exception {
    start(keys("k1", Map.of()));
    ObjectNode sent =
        body(
            uiPayload(Map.of("encoding", "json/plain"), "{\"cluster\":\"dbops-demo-56\"}"),
            uiPayload(Map.of("encoding", "binary/null"), ""));

    HttpResponse<String> encoded = post("/encode", sent);
    assertEquals(200, encoded.statusCode(), encoded.body());
    assertEquals("application/json", encoded.headers().firstValue("Content-Type").orElse(null));
    JsonNode enc = JSON.readTree(encoded.body());
    assertEquals(2, enc.path("payloads").size());
    for (JsonNode p : enc.path("payloads")) {
      assertEquals(
          AesGcmPayloadCodec.ENCODING,
          text(p.path("metadata").path(AesGcmPayloadCodec.METADATA_ENCODING).asText()));
      assertEquals(
          "k1", text(p.path("metadata").path(AesGcmPayloadCodec.METADATA_KEY_ID).asText()));
      assertFalse(text(p.path("data").asText()).contains("dbops-demo-56"), "encrypted");
    }

    HttpResponse<String> decoded = post("/decode", enc);
    assertEquals(200, decoded.statusCode(), decoded.body());
    assertEquals(sent, JSON.readTree(decoded.body()));
  }

  @Test
  void givenAPayloadTheWorkerEncrypted_whenTheUiDecodesIt_thenItGetsThePlaintextJson()
      throws Exception {
    PayloadKeys keys = keys("k1", Map.of());
    start(keys);
    // As the worker writes a workflow input: the default converter's JSON, then the codec.
    Payload plain =
        DefaultDataConverter.newDefaultInstance()
            .toPayload(Map.of("cluster", "dbops-demo-56"))
            .orElseThrow();
    Payload encrypted = new AesGcmPayloadCodec(keys).encode(List.of(plain)).get(0);
    ObjectNode asStored = JSON.createObjectNode();
    ObjectNode md = asStored.putObject("metadata");
    encrypted.getMetadataMap().forEach((k, v) -> md.put(k, b64(v.toByteArray())));
    asStored.put("data", b64(encrypted.getData().toByteArray()));

    HttpResponse<String> r = post("/default/decode", body(asStored));

    assertEquals(200, r.statusCode(), r.body());
    JsonNode p = JSON.readTree(r.body()).path("payloads").get(0);
    assertEquals("json/plain", text(p.path("metadata").path("encoding").asText()));
    assertEquals(
        Map.of("cluster", "dbops-demo-56"),
        JSON.readValue(text(p.path("data").asText()), Map.class));
  }

  @Test
  void givenAPayloadEncryptedBeforeARotation_whenDecoded_thenTheOldKeyReadsIt() throws Exception {
    PayloadKeys before = keys("k1", Map.of());
    Payload old =
        new AesGcmPayloadCodec(before)
            .encode(
                List.of(
                    Payload.newBuilder()
                        .putMetadata(
                            "encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
                        .setData(com.google.protobuf.ByteString.copyFromUtf8("\"before\""))
                        .build()))
            .get(0);
    start(keys("k2", Map.of("k1", key("k1"))));
    ObjectNode stored = JSON.createObjectNode();
    ObjectNode md = stored.putObject("metadata");
    old.getMetadataMap().forEach((k, v) -> md.put(k, b64(v.toByteArray())));
    stored.put("data", b64(old.getData().toByteArray()));

    HttpResponse<String> r = post("/decode", body(stored));

    assertEquals(200, r.statusCode(), r.body());
    assertEquals(
        "\"before\"", text(JSON.readTree(r.body()).path("payloads").get(0).path("data").asText()));
  }

  @Test
  void givenAKeyIdTheServerHasNoKeyFor_whenDecoded_thenA400NamesTheIdAndNoKeyMaterial()
      throws Exception {
    Payload foreign =
        new AesGcmPayloadCodec(keys("other", Map.of()))
            .encode(
                List.of(
                    Payload.newBuilder()
                        .setData(com.google.protobuf.ByteString.copyFromUtf8("x"))
                        .build()))
            .get(0);
    start(keys("k1", Map.of()));
    ObjectNode stored = JSON.createObjectNode();
    ObjectNode md = stored.putObject("metadata");
    foreign.getMetadataMap().forEach((k, v) -> md.put(k, b64(v.toByteArray())));
    stored.put("data", b64(foreign.getData().toByteArray()));

    HttpResponse<String> r = post("/decode", body(stored));

    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("'other'"), r.body());
    assertFalse(r.body().contains(b64(key("k1"))), r.body());
  }

  @Test
  void givenNoOrAWrongToken_whenEncodeOrDecodeIsAsked_then401AndTheCodecIsNotReached()
      throws Exception {
    start(keys("k1", Map.of()));
    String b = body(uiPayload(Map.of("encoding", "json/plain"), "1")).toString();
    for (String path : List.of("/encode", "/decode")) {
      for (String auth :
          new String[] {
            null,
            "Bearer wrong-token-0123456789abcdef",
            "Bearer " + TOKEN + "x",
            "Basic " + TOKEN,
            TOKEN
          }) {
        HttpResponse<String> r = post(path, b, auth);
        assertEquals(401, r.statusCode(), path + " with " + auth + ": " + r.body());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertFalse(r.body().contains(TOKEN), "the token is never echoed");
      }
    }
    assertEquals(200, post("/encode", b, "Bearer " + TOKEN).statusCode());
  }

  HttpResponse<String> login(String token) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(CodecServer.LOGIN))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> decodeWithCookie(String cookie, String origin) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(uri("/decode"))
            .header("Content-Type", "application/json")
            .header("Cookie", cookie)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    body(uiPayload(Map.of("encoding", "json/plain"), "1")).toString()));
    if (origin != null) r.header("Origin", origin);
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void givenAUiWithoutALogin_whenTheTokenIsTypedAtLogin_thenItsCookieAuthorizesTheUisOriginOnly()
      throws Exception {
    start(keys("k1", Map.of()));
    assertEquals(
        200,
        HTTP.send(
                HttpRequest.newBuilder(uri(CodecServer.LOGIN)).GET().build(),
                HttpResponse.BodyHandlers.ofString())
            .statusCode());

    HttpResponse<String> wrong = login("wrong-token-0123456789abcdef");
    assertEquals(401, wrong.statusCode());
    assertTrue(wrong.headers().allValues("Set-Cookie").isEmpty());

    HttpResponse<String> ok = login(TOKEN);
    assertEquals(200, ok.statusCode(), ok.body());
    String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
    assertFalse(setCookie.contains(TOKEN), "the cookie carries a digest, not the token");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    assertEquals(200, decodeWithCookie(cookie, UI).statusCode());
    assertEquals(
        401, decodeWithCookie(cookie, "http://localhost:3000").statusCode(), "another origin");
    assertEquals(401, decodeWithCookie(cookie, null).statusCode(), "no origin: not the UI");
    assertEquals(
        401, decodeWithCookie(CodecServer.SESSION_COOKIE + "=" + "0".repeat(64), UI).statusCode());
  }

  HttpResponse<String> preflight(String origin) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri("/decode"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type,x-namespace,authorization")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void givenTheUisOrigin_whenItsPreflightArrivesWithoutAToken_thenTheCorsHeadersAllowThePost()
      throws Exception {
    start(keys("k1", Map.of()));

    HttpResponse<String> r = preflight(UI);

    assertEquals(204, r.statusCode(), r.body());
    assertEquals(UI, r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertEquals("true", r.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));
    assertTrue(r.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
    String allowed =
        r.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase();
    for (String h : List.of("content-type", "x-namespace", "authorization"))
      assertTrue(allowed.contains(h), allowed);
    assertEquals(List.of("Origin"), r.headers().allValues("Vary"));
    // The POST that follows also carries the origin, so the browser lets the UI read the answer.
    HttpResponse<String> post =
        post("/decode", body(uiPayload(Map.of("encoding", "json/plain"), "1")));
    assertEquals(UI, post.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
  }

  @Test
  void givenAnotherOrigin_whenItsPreflightOrPostArrives_thenNoCorsHeaderAllowsIt()
      throws Exception {
    start(keys("k1", Map.of()));
    for (String origin :
        List.of(
            "http://evil.example",
            "http://localhost:8081",
            "http://localhost:8080.evil.example",
            "null",
            "HTTP://LOCALHOST:8080")) {
      HttpResponse<String> r = preflight(origin);
      assertEquals(403, r.statusCode(), origin);
      assertTrue(
          r.headers().map().keySet().stream()
              .noneMatch(h -> h.toLowerCase().startsWith("access-control-")),
          origin + ": " + r.headers().map());
      HttpResponse<String> post =
          HTTP.send(
              HttpRequest.newBuilder(uri("/decode"))
                  .header("Origin", origin)
                  .header("Authorization", "Bearer " + TOKEN)
                  .POST(HttpRequest.BodyPublishers.ofString(body().toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertTrue(post.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), origin);
    }
  }

  /**
   * The status line a raw HTTP/1.1 exchange gets: the server may answer before the body is sent.
   */
  String rawStatus(String headers, byte[] body) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(headers.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      } catch (IOException answeredEarly) {
        // The server refused the body before reading all of it: its answer is still there.
      }
      return new BufferedReader(
              new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  @Test
  void givenABodyOverTheBound_whenPosted_then413WithoutReadingIt() throws Exception {
    start(keys("k1", Map.of()));
    String request =
        "POST /encode HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
            + TOKEN
            + "\r\n"
            + "Content-Type: application/json\r\n";

    // Announced too large: refused from the header, nothing read.
    assertEquals(
        "HTTP/1.1 413 Request Entity Too Large",
        rawStatus(
            request + "Content-Length: " + (CodecServer.MAX_BODY_BYTES + 1) + "\r\n\r\n",
            new byte[0]));
    // Not announced (chunked): refused once the bound is passed.
    byte[] chunk =
        ("100000\r\n" + "a".repeat(0x100000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    java.io.ByteArrayOutputStream chunks = new java.io.ByteArrayOutputStream();
    for (int i = 0; i <= CodecServer.MAX_BODY_BYTES / 0x100000; i++) chunks.write(chunk);
    chunks.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals(
        "HTTP/1.1 413 Request Entity Too Large",
        rawStatus(request + "Transfer-Encoding: chunked\r\n\r\n", chunks.toByteArray()));
    // Half the bound is served.
    String fits =
        body(uiPayload(
                Map.of("encoding", "json/plain"),
                "\"" + "a".repeat(CodecServer.MAX_BODY_BYTES / 2) + "\""))
            .toString();
    assertEquals(200, post("/encode", fits, "Bearer " + TOKEN).statusCode());
  }

  @Test
  void givenABodyThatIsNotPayloadsJson_whenPosted_then400() throws Exception {
    start(keys("k1", Map.of()));
    for (String bad :
        List.of(
            "",
            "{",
            "[]",
            "{\"payloads\":[{\"data\":\"not base64!\"}]}",
            "{\"payloads\":[{\"metadata\":{\"encoding\":3}}]}",
            "{\"payload\":[]}")) {
      HttpResponse<String> r = post("/decode", bad, "Bearer " + TOKEN);
      assertEquals(400, r.statusCode(), bad + ": " + r.body());
    }
  }

  @Test
  void givenOtherPathsOrMethods_whenAsked_then404Or405() throws Exception {
    start(keys("k1", Map.of()));
    assertEquals(404, post("/", body().toString(), null).statusCode());
    assertEquals(404, post("/a/b/decode", body().toString(), null).statusCode());
    HttpResponse<String> get =
        HTTP.send(
            HttpRequest.newBuilder(uri("/decode")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
  }

  @Test
  void givenCorsOrigins_whenChecked_thenOnlyAnExactSchemeHostPortIsAccepted() {
    for (String ok :
        List.of("http://localhost:8080", "https://temporal.example.com", "http://127.0.0.1:8233")) {
      assertEquals(null, CodecServer.invalidOrigin(ok), ok);
    }
    for (String bad :
        List.of(
            "*",
            "http://*.example.com",
            "http://localhost:8080/",
            "localhost:8080",
            "ftp://x",
            "http://localhost:8080/ui",
            "http://u@localhost:8080")) {
      assertNotNull(CodecServer.invalidOrigin(bad), bad);
    }
  }

  @Test
  void
      givenTheCli_whenCodecServerIsAskedWithoutATokenOrWithAWildcardOrigin_thenItExits2NamingTheFlag() {
    Cli.Result noToken = Cli.run("codec-server");
    assertEquals(ExitCodes.INVALID_INPUT, noToken.exit(), noToken.toString());
    assertTrue(noToken.err().contains("--token-ref"), noToken.toString());

    Cli.Result wildcard = Cli.run("codec-server", "--token-ref", "env:X", "--cors-origin", "*");
    assertEquals(ExitCodes.INVALID_INPUT, wildcard.exit(), wildcard.toString());
    assertTrue(wildcard.err().contains("--cors-origin"), wildcard.toString());

    Cli.Result plainToken = Cli.run("codec-server", "--token-ref", "s3cr3t-s3cr3t-s3cr3t");
    assertEquals(ExitCodes.INVALID_INPUT, plainToken.exit(), plainToken.toString());
    assertFalse(
        plainToken.err().contains("s3cr3t"), "a token given in place of a reference is not echoed");
  }

  @Test
  void givenTokenReferences_whenRead_thenShortOrUnsetTokensAreRefusedWithoutShowingThem() {
    assertEquals(TOKEN, CodecServerCommand.readToken("env:T", Map.of("T", TOKEN + "\n")));
    for (Map<String, String> env :
        List.of(
            Map.<String, String>of(),
            Map.of("T", "short"),
            Map.of("T", "with space in the token"))) {
      CliException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              CliException.class, () -> CodecServerCommand.readToken("env:T", env));
      assertEquals(ExitCodes.INVALID_INPUT, e.exitCode());
      assertTrue(e.getMessage().startsWith("--token-ref"), e.getMessage());
      env.values().forEach(v -> assertFalse(e.getMessage().contains(v.strip()), e.getMessage()));
    }
  }
}
