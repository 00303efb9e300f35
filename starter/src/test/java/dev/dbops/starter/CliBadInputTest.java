package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input the CLI or the run refuses: exit 2, a message naming the field and why, and the sandbox
 * saw no RestoreObject.
 */
@ExtendWith(DevStack.class)
class CliBadInputTest {
  static final String BUCKET = "bad-input-bucket";

  @BeforeAll
  static void seed() {
    var s3 = DevStack.sandbox().s3();
    s3.createBucket(BUCKET);
    s3.putObject(BUCKET, "glacier/a.csv", "a,b\n1,2\n".getBytes(), "GLACIER");
    s3.putObject(BUCKET, "deep/2019.tar", "old backup".getBytes(), "DEEP_ARCHIVE");
  }

  private static void assertInvalid(Cli.Result r, String... mentions) {
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    for (String m : mentions) {
      assertTrue(r.err().contains(m), "stderr should mention '" + m + "':\n" + r);
    }
  }

  private static void assertNoRestoreRequested(String bucket) {
    assertEquals(0, DevStack.restoreCalls(bucket).size(), "RestoreObject calls on " + bucket);
  }

  @Test
  void givenUnknownBucket_whenStart_thenExit2NamingTheBucket() {
    Cli.Result r = DevStack.cli("start", "glacier-restore", "--bucket", "no-such-bucket",
        "--prefix", "glacier/", "--tier", "STANDARD");
    assertInvalid(r, "bucket: not found");
    assertInvalid(r, "no-such-bucket");
    assertNoRestoreRequested("no-such-bucket");
  }

  @Test
  void givenPrefixMatchingNothing_whenStart_thenExit2SayingNothingMatches() {
    Cli.Result r = DevStack.cli("start", "glacier-restore", "--bucket", BUCKET,
        "--prefix", "nothing-here/", "--tier", "STANDARD");
    assertInvalid(r, "prefix", "nothing-here/");
    assertNoRestoreRequested(BUCKET);
  }

  @Test
  void givenDeepArchiveExpeditedWithoutFallback_whenStart_thenExit2ExplainingTheTier() {
    Cli.Result r = DevStack.cli("start", "glacier-restore", "--bucket", BUCKET,
        "--prefix", "deep/", "--tier", "expedited", "--no-tier-fallback");
    assertInvalid(r, "EXPEDITED");
    assertTrue(r.err().toLowerCase().contains("deep archive"), r.toString());
    assertNoRestoreRequested(BUCKET);
  }

  @Test
  void givenApprovalRequiredWithoutApprovers_whenStart_thenExit2BeforeContactingServer() {
    Cli.Result r = DevStack.cli("start", "glacier-restore", "--bucket", BUCKET,
        "--prefix", "glacier/", "--tier", "STANDARD", "--require-approval", "--id", "never-started");
    assertInvalid(r, "approval.approvers", "nothing was started");
    Cli.Result status = DevStack.cli("status", "never-started");
    assertInvalid(status, "no run with id 'never-started'");
    assertNoRestoreRequested(BUCKET);
  }

  @Test
  void givenJsonWithUnknownField_whenStart_thenExit2NamingTheField(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("restore.json");
    Files.writeString(input, "{\"bucket\": \"" + BUCKET + "\", \"prefix\": \"glacier/\","
        + " \"tier\": \"STANDARD\", \"teir\": \"BULK\"}");
    assertInvalid(DevStack.cli("start", "glacier-restore", "--input", input.toString()), "teir");

    Files.writeString(input, "{\"bucket\": \"" + BUCKET + "\", \"prefix\": \"glacier/\","
        + " \"tier\": \"FAST\"}");
    assertInvalid(DevStack.cli("start", "glacier-restore", "--input", input.toString()), "tier");
    assertNoRestoreRequested(BUCKET);
  }

  @Test
  void givenInputFileAndFlags_whenStart_thenExit2() throws Exception {
    assertInvalid(DevStack.cli("start", "glacier-restore", "--input", "restore.json",
        "--bucket", BUCKET), "--input", "--bucket");
  }

  @Test
  void givenUnknownTierFlag_whenStart_thenExit2ListingTheTiers() {
    Cli.Result r = DevStack.cli("start", "glacier-restore", "--bucket", BUCKET,
        "--prefix", "glacier/", "--tier", "FAST");
    assertInvalid(r, "--tier", "EXPEDITED, STANDARD, BULK");
  }

  @Test
  void givenDownloadAndCopy_whenStart_thenExit2NamingDelivery() {
    assertInvalid(DevStack.cli("start", "glacier-restore", "--bucket", BUCKET, "--prefix",
        "glacier/", "--tier", "STANDARD", "--download-dir", "out", "--copy-prefix", "restored/"),
        "delivery");
  }

  @Test
  void givenTemporalUnreachable_whenStatus_thenExit1WithOneClearLine() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Cli.Result r = Cli.run("status", "anything", "--address", "127.0.0.1:" + closedPort);
    assertEquals(ExitCodes.FAILED, r.exit(), r.toString());
    assertTrue(r.err().startsWith("cannot reach Temporal at 127.0.0.1:" + closedPort), r.toString());
    assertEquals(1, r.err().strip().lines().count(), r.toString());
  }
}
