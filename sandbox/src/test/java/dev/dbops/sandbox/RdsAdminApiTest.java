package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Event;
import software.amazon.awssdk.services.rds.model.SourceType;

/** The RDS part of the admin HTTP API, as a test in another process would use it. */
@Tag("mariadb")
class RdsAdminApiTest {

  private static AwsSandbox sandbox;
  private static RdsClient rds;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    rds = SandboxClients.rds(sandbox);
  }

  @AfterAll
  static void stop() {
    rds.close();
    sandbox.close(); // also stops the MariaDB the sandbox started
  }

  @Test
  void givenClusterSeededOverHttp_whenSdkDescribesIt_thenSeedFieldsAndAdminViewAgree()
      throws Exception {
    HttpResponse<String> created =
        send(
            "POST",
            "/_sandbox/rds/clusters",
            "id=http-db&instances=http-db-1,http-db-2&tags=environment=production,team=db&backtrackWindow=3600");
    DBCluster c = rds.describeDBClusters(r -> r.dbClusterIdentifier("http-db")).dbClusters().get(0);

    assertEquals(200, created.statusCode(), created.body());
    assertTrue(created.body().contains("\"status\":\"available\""), created.body());
    assertEquals(2, c.dbClusterMembers().size());
    assertEquals(3600L, c.backtrackWindow());
    assertEquals(
        Map.of("environment", "production", "team", "db"), RdsDescribeTest.tags(c.tagList()));
    assertTrue(send("GET", "/_sandbox/", "").body().contains("\"rds\""));
    assertEquals(
        400, send("POST", "/_sandbox/rds/clusters", "id=http-db").statusCode(), "id taken");
    assertEquals(404, send("GET", "/_sandbox/rds/nothing", "").statusCode());
  }

  @Test
  void givenMySqlInstanceSeededAndStartedOverHttp_whenSdkDescribesIt_thenItsEndpointIsThatServer()
      throws Exception {
    HttpResponse<String> created =
        send(
            "POST",
            "/_sandbox/rds/instances",
            "id=http-mysql&engineVersion=5.6.51&tags=environment=production");
    HttpResponse<String> started =
        send("POST", "/_sandbox/rds/instances/http-mysql/mariadb", "binlogRetentionHours=48");
    DBInstance i =
        rds.describeDBInstances(r -> r.dbInstanceIdentifier("http-mysql")).dbInstances().get(0);

    assertEquals(200, created.statusCode(), created.body());
    assertTrue(created.body().contains("\"engine\":\"mysql\""), created.body());
    assertEquals(200, started.statusCode(), started.body());
    assertEquals("5.6.51", i.engineVersion());
    assertEquals(7, i.backupRetentionPeriod());
    assertTrue(started.body().contains("\"port\":" + i.endpoint().port()), started.body());
    assertTrue(started.body().contains("\"reportedVersion\":\"5.6.51\""), started.body());
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:mysql://127.0.0.1:" + i.endpoint().port() + "/",
                RdsSandbox.DEFAULT_MASTER_USERNAME,
                RdsSandbox.DEFAULT_MASTER_PASSWORD);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("CALL mysql.rds_show_configuration")) {
      rs.next();
      assertEquals("48", rs.getString("value"), "the master user sees RDS's procedures");
    }
    assertEquals(
        400,
        send("POST", "/_sandbox/rds/instances", "id=bad&engineVersion=5.5.1").statusCode(),
        "unknown version");
  }

  @Test
  void givenFailureScriptedOverHttp_whenUpgradeRuns_thenFailureEventAndClusterBackOn56()
      throws Exception {
    send("POST", "/_sandbox/rds/clusters", "id=fail-db");
    assertEquals(
        200,
        send("POST", "/_sandbox/rds/parameter-groups", "name=custom57&family=aurora-mysql5.7")
            .statusCode());

    assertEquals(
        200,
        send(
                "POST",
                "/_sandbox/rds/clusters/fail-db/fail-next-upgrade",
                "reason=schema inconsistency")
            .statusCode());
    rds.modifyDBCluster(
        r ->
            r.dbClusterIdentifier("fail-db")
                .engineVersion("5.7.mysql_aurora.2.11.2")
                .allowMajorVersionUpgrade(true)
                .applyImmediately(true)
                .dbClusterParameterGroupName("custom57"));
    send("POST", "/_sandbox/clock/advance", "by=PT1H");

    HttpResponse<String> view = send("GET", "/_sandbox/rds/clusters/fail-db", "");
    assertTrue(view.body().contains("\"status\":\"available\""), view.body());
    assertTrue(view.body().contains("\"engineVersion\":\"5.6.10a\""), view.body());
    assertTrue(
        rds
            .describeEvents(
                r -> r.sourceType(SourceType.DB_CLUSTER).sourceIdentifier("fail-db").duration(120))
            .events()
            .stream()
            .map(Event::message)
            .anyMatch(
                m ->
                    m.equals(
                        "Database cluster is in a state that cannot be upgraded: schema inconsistency")));
    assertTrue(send("GET", "/_sandbox/rds/events", "").body().contains("schema inconsistency"));
    assertTrue(
        send("GET", "/_sandbox/calls?operation=ModifyDBCluster", "")
            .body()
            .contains("\"bucket\":\"fail-db\""));
  }

  @Test
  void givenClusterBoundOverHttp_whenJdbcConnectsToTheDescribedEndpoint_thenRealMariaDbReporting56()
      throws Exception {
    send("POST", "/_sandbox/rds/clusters", "id=dev-db");

    HttpResponse<String> bound = send("POST", "/_sandbox/rds/clusters/dev-db/mariadb", "");
    DBCluster c = rds.describeDBClusters(r -> r.dbClusterIdentifier("dev-db")).dbClusters().get(0);

    assertEquals(200, bound.statusCode(), bound.body());
    assertEquals("127.0.0.1", c.endpoint());
    assertTrue(bound.body().contains("\"port\":" + c.port()), bound.body());
    String password = field(bound.body(), "password");
    try (Connection conn =
            DriverManager.getConnection(
                "jdbc:mysql://" + c.endpoint() + ":" + c.port() + "/",
                field(bound.body(), "user"),
                password);
        Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("SELECT VERSION()")) {
      rs.next();
      assertEquals("5.6.10", rs.getString(1));
    }
  }

  @Test
  void givenNoToken_whenAskingForALocalMariaDb_then403WithoutPasswordAndNoServerBound()
      throws Exception {
    send("POST", "/_sandbox/rds/clusters", "id=locked-db");

    HttpResponse<String> refused =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(sandbox.endpoint() + "/_sandbox/rds/clusters/locked-db/mariadb"))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(403, refused.statusCode(), refused.body());
    assertFalse(refused.body().contains("password"), refused.body());
    assertTrue(
        sandbox.rds().binding("locked-db").isEmpty(),
        "no MariaDB was started for the refused request");
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
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
