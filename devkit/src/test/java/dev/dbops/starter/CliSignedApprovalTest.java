package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbops.client.DbopsConfig;
import dev.dbops.worker.DbopsWorker;
import dev.dbops.workflows.signing.SshPublicKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed approvals end to end: a worker whose allowed-signers file lists alice's key (on its own
 * task queue of the shared dev stack), runs gated on alice, and the CLI approving, rejecting and
 * checking status with and without {@code --key}.
 */
@DevStackTest
class CliSignedApprovalTest {
  static final String QUEUE = "signed-approvals";
  static final String BUCKET = "cli-signed";

  @TempDir static Path dir;
  static Path aliceKey;
  static Path carolKey;
  static DbopsWorker worker;

  @BeforeAll
  static void startWorker() throws Exception {
    var s3 = DevStack.sandbox().s3();
    s3.createBucket(BUCKET);
    for (String p : List.of("unsigned", "signed", "rejected", "plain"))
      s3.putObject(BUCKET, p + "/x.csv", "x".getBytes(), "GLACIER");
    aliceKey = key("alice");
    carolKey = key("carol");
    Path signers = dir.resolve("allowed-signers");
    Files.writeString(
        signers,
        "alice "
            + Files.readString(dir.resolve("alice.pub"))
            + "carol "
            + Files.readString(dir.resolve("carol.pub")));
    worker =
        DbopsWorker.start(
            DbopsConfig.from(
                Map.of(
                    DbopsConfig.TEMPORAL_ADDRESS, DevStack.temporalAddress(),
                    DbopsConfig.DBOPS_TASK_QUEUE, QUEUE,
                    DbopsConfig.DBOPS_AWS_ENDPOINT, DevStack.sandbox().endpoint().toString(),
                    DbopsConfig.DBOPS_METRICS_PORT, "0",
                    DbopsConfig.DBOPS_ALLOWED_SIGNERS, signers.toString())));
  }

  static Path key(String name) throws Exception {
    SshPublicKey[] pub = new SshPublicKey[1];
    Path k = dir.resolve(name);
    Files.writeString(k, SshKeyFile.generateEd25519(name, pub));
    Files.writeString(dir.resolve(name + ".pub"), pub[0].text() + "\n");
    return k;
  }

  @AfterAll
  static void stopWorker() {
    if (worker != null) worker.close();
  }

  static Cli.Result cli(int exit, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", DevStack.temporalAddress(), "--task-queue", QUEUE));
    Cli.Result r = Cli.run(all.toArray(String[]::new));
    assertEquals(exit, r.exit(), r.toString());
    return r;
  }

  static void startGated(String id, String prefix) {
    cli(
        0,
        "start",
        "glacier-restore",
        "--bucket",
        BUCKET,
        "--prefix",
        prefix + "/",
        "--tier",
        "EXPEDITED",
        "--poll-interval",
        "1s",
        "--require-approval",
        "--approver",
        "alice",
        "--approver",
        "carol",
        "--requested-by",
        "bob",
        "--id",
        id);
  }

  static JsonNode approvals(String id) throws Exception {
    JsonNode s =
        new ObjectMapper()
            .readTree(
                Cli.run("status", id, "--json", "--address", DevStack.temporalAddress()).out());
    return s.path("status").path("approvals");
  }

  @Test
  void
      givenAllowedSigners_whenApprovedUnsignedOrWithAnotherKey_thenRefusedAtOnceNothingRecordedAndTheRunStillWaits()
          throws Exception {
    startGated("signed/unsigned", "unsigned");
    Cli.Result status = cli(0, "status", "signed/unsigned");
    assertTrue(
        status
            .out()
            .contains(
                "approver check: signed approvals only: dbops-approval signatures checked against"),
        status.toString());
    Cli.Result unsigned = cli(2, "approve", "signed/unsigned", "--by", "alice", "--comment", "ok");
    assertTrue(
        unsigned.err().contains("approval refused by the run: approver not verified: unsigned"),
        unsigned.toString());
    Cli.Result carolAsAlice =
        cli(2, "approve", "signed/unsigned", "--by", "alice", "--key", carolKey.toString());
    assertTrue(
        carolAsAlice.err().contains("may sign as carol, not as 'alice'"), carolAsAlice.toString());
    // Sent as updates: the run's validator answered, and a refusal leaves no record and no history
    // event.
    JsonNode records = approvals("signed/unsigned");
    assertEquals(0, records.size(), records.toString());
    assertEquals(
        0,
        DevStack.restoreCalls(BUCKET).stream().filter(c -> c.key().startsWith("unsigned/")).count(),
        "nothing restored on refused approvals");
    cli(0, "cancel", "signed/unsigned");
  }

  @Test
  void givenAllowedSigners_whenApprovedWithAlicesKey_thenTheWorkerAcceptsItAndTheRunCompletes()
      throws Exception {
    startGated("signed/ok", "signed");
    Cli.Result ok =
        cli(
            0,
            "approve",
            "signed/ok",
            "--by",
            "alice",
            "--comment",
            "audit",
            "--key",
            aliceKey.toString());
    assertTrue(ok.out().contains("approval by alice recorded (approved)"), ok.toString());
    Cli.Result watch = cli(0, "watch", "signed/ok");
    assertTrue(watch.out().contains("COMPLETED signed/ok"), watch.toString());
    JsonNode records = approvals("signed/ok");
    assertEquals("approved", records.get(0).path("outcome").asText(), records.toString());
    assertTrue(
        records.get(0).path("signer").asText().startsWith("alice (ssh-ed25519 SHA256:"),
        records.toString());
  }

  @Test
  void givenAllowedSigners_whenRejectedWithCarolsKey_thenTheRunFails() {
    startGated("signed/rejected", "rejected");
    cli(
        0,
        "reject",
        "signed/rejected",
        "--by",
        "carol",
        "--reason",
        "wrong month",
        "--key",
        carolKey.toString());
    Cli.Result watch = cli(1, "watch", "signed/rejected");
    assertTrue(watch.out().contains("Rejected"), watch.toString());
  }

  @Test
  void
      givenWorkerWithoutAllowedSigners_whenStatusAsked_thenItSaysApprovalsAreUnverifiedAndUnsignedOnesCount() {
    Cli.Result start =
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "plain/",
            "--tier",
            "EXPEDITED",
            "--require-approval",
            "--approver",
            "alice",
            "--requested-by",
            "bob",
            "--id",
            "signed/plain");
    assertEquals(0, start.exit(), start.toString());
    Cli.Result status = DevStack.cli("status", "signed/plain");
    assertTrue(
        status.out().contains("approver check: approvals are unverified"), status.toString());
    Cli.Result ok = DevStack.cli("approve", "signed/plain", "--by", "alice");
    assertEquals(0, ok.exit(), ok.toString());
  }

  @Test
  void givenKeyFileThatIsNoKey_whenApproving_thenExit2NamingTheFlagBeforeAnySignal()
      throws Exception {
    Path junk = dir.resolve("junk");
    Files.writeString(junk, "not a key");
    Cli.Result r =
        Cli.run(
            "approve",
            "nothing/here",
            "--by",
            "alice",
            "--key",
            junk.toString(),
            "--address",
            DevStack.temporalAddress());
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("--key: not an OpenSSH private key"), r.toString());
  }
}
