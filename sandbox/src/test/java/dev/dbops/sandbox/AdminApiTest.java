package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;

/** The /_sandbox/ HTTP admin API, as a test in another process would use it. */
class AdminApiTest {

  private static AwsSandbox sandbox;
  private static S3Client s3;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    s3 = SandboxClients.s3WithoutRetries(sandbox);
  }

  @AfterAll
  static void stop() {
    s3.close();
    sandbox.close();
  }

  @Test
  void givenAdminApi_whenAskedWhatItIs_thenItSaysTestDouble() throws Exception {
    HttpResponse<String> info = send("GET", "/_sandbox/", "");

    assertEquals(200, info.statusCode());
    assertTrue(info.body().contains("\"testDouble\":true"), info.body());
    assertTrue(info.headers().firstValue("Server").orElse("").contains("test double"));
  }

  @Test
  void givenBucketAndObjectCreatedOverHttp_whenSdkReadsThem_thenTheyExistWithTheirStorageClass()
      throws Exception {
    assertEquals(200, send("POST", "/_sandbox/s3/buckets/admin-made", "").statusCode());
    HttpResponse<String> put =
        send(
            "PUT",
            "/_sandbox/s3/objects/admin-made/dir/a%20b.bin?storageClass=GLACIER",
            "archived bytes");

    assertEquals(200, put.statusCode());
    assertTrue(put.body().contains("\"restoreState\":\"NONE\""), put.body());
    assertEquals(
        StorageClass.GLACIER,
        s3.headObject(b -> b.bucket("admin-made").key("dir/a b.bin")).storageClass());
    assertEquals(
        14L, s3.headObject(b -> b.bucket("admin-made").key("dir/a b.bin")).contentLength());
    HttpResponse<String> described =
        send("GET", "/_sandbox/s3/objects/admin-made/dir/a%20b.bin", "");
    assertTrue(described.body().contains("\"storageClass\":\"GLACIER\""), described.body());
  }

  @Test
  void givenScriptPostedAsForm_whenSdkCalls_thenFaultIsInjectedAndVisibleInCalls()
      throws Exception {
    sandbox.s3().putObject("admin-faults", "k", new byte[1], "STANDARD");
    send("DELETE", "/_sandbox/calls", "");

    HttpResponse<String> posted =
        send("POST", "/_sandbox/faults", "operation=HeadObject&script=THROTTLE,ERROR_500");
    S3Exception first =
        assertThrows(
            S3Exception.class, () -> s3.headObject(b -> b.bucket("admin-faults").key("k")));
    S3Exception second =
        assertThrows(
            S3Exception.class, () -> s3.headObject(b -> b.bucket("admin-faults").key("k")));
    s3.headObject(b -> b.bucket("admin-faults").key("k"));
    HttpResponse<String> calls = send("GET", "/_sandbox/calls?operation=HeadObject", "");

    assertEquals(200, posted.statusCode(), posted.body());
    assertEquals(503, first.statusCode());
    assertEquals(500, second.statusCode());
    assertTrue(calls.body().startsWith("[{\"seq\":"), calls.body());
    assertTrue(
        calls
            .body()
            .contains(
                "\"operation\":\"HeadObject\",\"bucket\":\"admin-faults\",\"key\":\"k\","
                    + "\"status\":503,\"fault\":\"THROTTLE\""),
        calls.body());
    assertTrue(calls.body().contains("\"status\":200,\"fault\":null"), calls.body());
    assertEquals(200, send("DELETE", "/_sandbox/calls", "").statusCode());
    assertEquals("[]", send("GET", "/_sandbox/calls", "").body());
  }

  @Test
  void givenRatePostedThenFaultsDeleted_whenSdkCalls_thenFaultsStop() throws Exception {
    sandbox.s3().putObject("admin-rate", "k", new byte[1], "STANDARD");

    send("POST", "/_sandbox/faults?rate=1.0&kinds=ERROR_503&operations=GetObject", "");
    S3Exception e =
        assertThrows(
            S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket("admin-rate").key("k")));
    assertEquals("ServiceUnavailable", e.awsErrorDetails().errorCode());

    assertEquals(200, send("DELETE", "/_sandbox/faults", "").statusCode());
    assertEquals(1, s3.getObjectAsBytes(b -> b.bucket("admin-rate").key("k")).asByteArray().length);
  }

  @Test
  void givenClockAdvancedOverHttp_whenRestoreDurationHasPassed_thenObjectIsRestored()
      throws Exception {
    sandbox.s3().putObject("admin-clock", "k", new byte[1], "DEEP_ARCHIVE");
    s3.restoreObject(b -> b.bucket("admin-clock").key("k").restoreRequest(r -> r.days(1)));

    HttpResponse<String> advanced = send("POST", "/_sandbox/clock/advance", "by=PT20S");

    assertEquals(200, advanced.statusCode(), advanced.body());
    assertEquals("RESTORED", sandbox.s3().restoreState("admin-clock", "k"));
  }

  @Test
  void givenBadAdminInput_whenPosting_then400WithAReason() throws Exception {
    HttpResponse<String> unknownKind =
        send("POST", "/_sandbox/faults", "operation=GetObject&script=EXPLODE");
    HttpResponse<String> nothing = send("POST", "/_sandbox/faults", "");
    HttpResponse<String> unknownPath = send("GET", "/_sandbox/nothing-here", "");

    assertEquals(400, unknownKind.statusCode());
    assertTrue(unknownKind.body().contains("EXPLODE"), unknownKind.body());
    assertEquals(400, nothing.statusCode());
    assertEquals(404, unknownPath.statusCode());
  }

  @Test
  void givenNoToken_whenClearingCallsOrInjectingFaults_then403AndNothingChanges() throws Exception {
    sandbox.s3().putObject("admin-locked", "k", new byte[1], "STANDARD");
    s3.headObject(b -> b.bucket("admin-locked").key("k"));

    HttpResponse<String> clear = sendAs(null, "DELETE", "/_sandbox/calls", "");
    HttpResponse<String> fault =
        sendAs(null, "POST", "/_sandbox/faults", "operation=HeadObject&script=ERROR_500");
    HttpResponse<String> info = sendAs(null, "GET", "/_sandbox/", "");

    assertEquals(403, clear.statusCode(), clear.body());
    assertTrue(clear.body().contains("\"error\":"), clear.body());
    assertTrue(clear.body().contains(AwsSandbox.ADMIN_TOKEN_HEADER), clear.body());
    assertEquals(403, fault.statusCode(), fault.body());
    assertEquals(403, info.statusCode(), info.body());
    assertEquals(
        1,
        sandbox.calls().count("HeadObject", "admin-locked", "k"),
        "the call log was not cleared");
    assertFalse(
        sandbox.faults().pendingScripts().containsKey("HeadObject"), "no fault was injected");
    s3.headObject(b -> b.bucket("admin-locked").key("k"));
  }

  @Test
  void givenWrongToken_whenClearingCallsOrInjectingFaults_then403AndNothingChanges()
      throws Exception {
    sandbox.s3().putObject("admin-wrong", "k", new byte[1], "STANDARD");
    s3.headObject(b -> b.bucket("admin-wrong").key("k"));
    String token = sandbox.adminToken();
    String wrong = token.substring(0, token.length() - 1) + (token.endsWith("0") ? "1" : "0");

    HttpResponse<String> clear = sendAs(wrong, "DELETE", "/_sandbox/calls", "");
    HttpResponse<String> fault =
        sendAs(wrong, "POST", "/_sandbox/faults", "operation=HeadObject&script=ERROR_500");
    HttpResponse<String> empty = sendAs("", "DELETE", "/_sandbox/calls", "");

    assertEquals(403, clear.statusCode(), clear.body());
    assertEquals(403, fault.statusCode(), fault.body());
    assertEquals(403, empty.statusCode(), empty.body());
    assertEquals(
        1, sandbox.calls().count("HeadObject", "admin-wrong", "k"), "the call log was not cleared");
    assertFalse(
        sandbox.faults().pendingScripts().containsKey("HeadObject"), "no fault was injected");
    s3.headObject(b -> b.bucket("admin-wrong").key("k"));
  }

  @Test
  void givenRightToken_whenClearingCalls_thenItWorksAndTokensDifferPerStart() throws Exception {
    HttpResponse<String> clear = sendAs(sandbox.adminToken(), "DELETE", "/_sandbox/calls", "");

    assertEquals(200, clear.statusCode(), clear.body());
    assertEquals(48, sandbox.adminToken().length());
    try (AwsSandbox other = AwsSandbox.start(SandboxConfig.defaults())) {
      assertNotEquals(sandbox.adminToken(), other.adminToken());
    }
  }

  private static HttpResponse<String> sendAs(String token, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(sandbox.endpoint() + path))
            .timeout(Duration.ofSeconds(5))
            .method(
                method,
                body.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header(AwsSandbox.ADMIN_TOKEN_HEADER, token);
    }
    if (method.equals("POST")) {
      request.header("Content-Type", "application/x-www-form-urlencoded");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        SandboxClients.admin(sandbox, path)
            .timeout(Duration.ofSeconds(5))
            .method(
                method,
                body.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (method.equals("POST")) {
      request.header("Content-Type", "application/x-www-form-urlencoded");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
