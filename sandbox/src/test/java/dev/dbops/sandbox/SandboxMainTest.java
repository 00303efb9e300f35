package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone sandbox's command line: bind address, bad input, the seeded demo resources. */
@Tag("mariadb")
class SandboxMainTest {

  static AwsSandbox start(String... args) {
    return SandboxMain.start(SandboxMain.parse(args), new PrintStream(new ByteArrayOutputStream()));
  }

  @Test
  void givenNoBindOption_whenStarted_thenListensOnLoopbackOnly() {
    try (AwsSandbox sandbox = start("--port", "0")) {
      assertTrue(
          sandbox.listeningOn().getAddress().isLoopbackAddress(), sandbox.listeningOn().toString());
    }
  }

  @Test
  void givenBindAllInterfaces_whenStarted_thenListensOnEveryInterfaceAndCallsItselfOnLoopback() {
    try (AwsSandbox sandbox = start("--port", "0", "--bind", "0.0.0.0")) {
      assertTrue(
          sandbox.listeningOn().getAddress().isAnyLocalAddress(), sandbox.listeningOn().toString());
      assertEquals(InetAddress.getLoopbackAddress().getHostAddress(), sandbox.endpoint().getHost());
      assertEquals(sandbox.listeningOn().getPort(), sandbox.endpoint().getPort());
    }
  }

  @Test
  void givenBadInput_whenParsed_thenRefusedNamingTheFlag() {
    record Case(List<String> args, String message) {}
    for (Case c :
        List.of(
            new Case(List.of("--port", "x"), "--port: not a port number: 'x'"),
            new Case(List.of("--port", "70000"), "--port: must be 0..65535, was 70000"),
            new Case(
                List.of("--bind", "example.com"),
                "--bind: an IP address (127.0.0.1, 0.0.0.0), was 'example.com'"),
            new Case(List.of("--bind"), "--bind: needs a value"),
            new Case(
                List.of("--day-length", "5"),
                "--day-length: not an ISO-8601 duration (e.g. PT1M): '5'"),
            new Case(List.of("--day-length", "PT0S"), "--day-length: must be positive, was PT0S"),
            new Case(List.of("--seed"), "unknown option --seed"),
            new Case(List.of("1", "PT1M", "extra"), "unexpected argument extra"))) {
      var e =
          assertThrows(
              SandboxMain.InvalidOption.class,
              () -> SandboxMain.parse(c.args().toArray(String[]::new)),
              c.args().toString());
      assertEquals(c.message(), e.getMessage());
    }
    SandboxMain.Options legacy = SandboxMain.parse(new String[] {"4600", "PT1M"});
    assertEquals(4600, legacy.port());
    assertEquals(java.time.Duration.ofMinutes(1), legacy.dayLength());
    assertTrue(legacy.bind().isLoopbackAddress());
    assertFalse(legacy.seedDemo());
  }

  @Test
  void givenSeedDemo_whenStarted_thenEveryProcedureHasItsResourcesAndTheFilesItsRequestNames(
      @TempDir Path dir) throws Exception {
    Path secrets = dir.resolve("secrets");
    Path masking = dir.resolve("masking");
    ByteArrayOutputStream banner = new ByteArrayOutputStream();
    SandboxMain.Options options =
        SandboxMain.parse(
            new String[] {
              "--port",
              "0",
              "--seed-demo",
              "--secrets-dir",
              secrets.toString(),
              "--masking-dir",
              masking.toString(),
              "--download-dir",
              "/var/lib/dbops/downloads"
            });
    try (AwsSandbox sandbox =
        SandboxMain.start(options, new PrintStream(banner, true, StandardCharsets.UTF_8))) {
      String out = banner.toString(StandardCharsets.UTF_8);
      // Glacier restore: the bucket, its storage classes, the worker's download dir.
      assertEquals(
          List.copyOf(DemoResources.OBJECTS.keySet()).stream().sorted().toList(),
          sandbox.s3().keys(DemoResources.BUCKET).stream().sorted().toList());
      DemoResources.OBJECTS.forEach(
          (key, storageClass) ->
              assertEquals(
                  storageClass, sandbox.s3().storageClass(DemoResources.BUCKET, key), key));
      assertTrue(
          out.contains(
              "dbops start glacier-restore --bucket dbops-demo --prefix demo/ --tier EXPEDITED"
                  + " --days 1 --download-dir /var/lib/dbops/downloads"),
          out);

      // Upgrade: a bound 5.6 cluster whose demo user logs in with the password file's contents.
      Path password = secrets.resolve(DemoResources.UPGRADE_CLUSTER + "-demo-db-password");
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(password)));
      assertTrue(out.contains("--db-password-ref file:" + password.toAbsolutePath()), out);
      var db = sandbox.rds().binding(DemoResources.UPGRADE_CLUSTER).orElseThrow();
      try (Connection c =
              DriverManager.getConnection(
                  db.jdbcUrl("demo") + "?sslMode=DISABLED",
                  DemoResources.UPGRADE_DB_USER,
                  Files.readString(password).strip());
          ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM orders")) {
        rs.next();
        assertEquals(DemoResources.UPGRADE_ORDERS, rs.getInt(1));
      }

      // Staging rebuild: the two-account seed, the master password and masking files.
      assertTrue(sandbox.rds().binding(StagingDemo.SOURCE_CLUSTER).isPresent());
      Path maskingFile = masking.resolve(DemoResources.STAGING_MASKING_FILE);
      assertTrue(
          Files.readString(maskingFile).contains(DemoResources.MASKING_STATEMENTS.get(0) + ";"));
      assertTrue(out.contains("--masking-sql " + maskingFile.toAbsolutePath()), out);
      assertTrue(
          out.contains(
              "--master-password-ref file:"
                  + secrets.resolve(DemoResources.STAGING_PASSWORD_FILE).toAbsolutePath()),
          out);
      assertTrue(out.endsWith("demo: ready\n"), out);
    }
  }
}
