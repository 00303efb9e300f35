package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The accounts, Route53 and staging-demo parts of the admin HTTP API, as a test in another process
 * would use them.
 */
class StagingAdminApiTest {

  private static AwsSandbox sandbox;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void givenStagingDemoSeededOverHttp_whenZoneAccountsAndClustersRead_thenTheSeedIsVisible()
      throws Exception {
    HttpResponse<String> seeded = send("POST", "/_sandbox/staging-demo", "");

    assertEquals(200, seeded.statusCode(), seeded.body());
    String zone = field(seeded.body(), "hostedZoneId");
    String records = send("GET", "/_sandbox/route53/zones/" + zone + "/records", "").body();
    assertTrue(
        records.contains("\"name\":\"db.staging.internal.\",\"type\":\"CNAME\",\"ttl\":0"),
        records);
    assertTrue(send("GET", "/_sandbox/accounts", "").body().contains("\"210987654321\""));
    String old = send("GET", "/_sandbox/rds/clusters/staging-old?account=210987654321", "").body();
    assertTrue(old.contains("\"dbops:owner\":\"staging/db.staging.internal\""), old);
    assertTrue(old.contains("\"account\":\"210987654321\""), old);
    assertEquals(
        400,
        send("GET", "/_sandbox/rds/clusters/staging-old", "").statusCode(),
        "not in the default account");
    assertTrue(send("GET", "/_sandbox/", "").body().contains("\"route53\",\"sts\""));
  }

  @Test
  void givenZoneRoleAndKeyCreatedOverHttp_whenChangeScriptedToFail_thenTheNextChangeFails()
      throws Exception {
    String created =
        send("POST", "/_sandbox/route53/zones", "account=333333333333&name=qa.internal&vpc=vpc-0qa")
            .body();
    String zone = field(created, "id");
    send(
        "POST",
        "/_sandbox/route53/zones/" + zone + "/records",
        "name=db.qa.internal&value=old.example&ttl=0");
    assertTrue(
        send("POST", "/_sandbox/accounts/333333333333/roles/dbops-qa", "")
            .body()
            .contains("arn:aws:iam::333333333333:role/dbops-qa"));
    assertTrue(
        send("POST", "/_sandbox/accounts/333333333333/kms-keys", "alias=qa")
            .body()
            .contains("arn:aws:kms:us-east-1:333333333333:key/"));

    assertEquals(
        200,
        send("POST", "/_sandbox/route53/zones/" + zone + "/fail-next-change", "message=boom")
            .statusCode());

    assertEquals(
        "old.example",
        sandbox.route53().recordValue(zone, "db.qa.internal", "CNAME").orElseThrow());
    ServiceException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ServiceException.class,
            () ->
                sandbox
                    .route53()
                    .change(
                        "333333333333",
                        zone,
                        null,
                        java.util.List.of(
                            new Route53Sandbox.ChangeRequest(
                                "UPSERT",
                                "db.qa.internal",
                                "CNAME",
                                0L,
                                java.util.List.of("new.example")))));
    assertEquals("[boom]", e.error().message());
    assertEquals(404, send("GET", "/_sandbox/route53/nothing", "").statusCode());
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
    assertTrue(m.find(), json);
    return m.group(1);
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        SandboxClients.admin(sandbox, path)
            .timeout(Duration.ofSeconds(60))
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
