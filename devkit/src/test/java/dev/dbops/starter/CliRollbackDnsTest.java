package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.sandbox.CallLog;
import dev.dbops.sandbox.ClusterSeed;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code plan} / {@code start upgrade-rollback --zone-id --record-name} through the CLI against the
 * dev stack: a 5.6 cluster with a manual snapshot and a private zone whose CNAME names it. Bad DNS
 * input exits 2 naming the flag with no change at all; a good run restores, waits for an approval
 * that is not the requester's, and repoints the CNAME.
 */
@DevStackTest
class CliRollbackDnsTest {
  static final String CLUSTER = "rollback-dns-56";
  static final String SNAPSHOT = "rollback-dns-56-pre";
  static final String ZONE = "rollback.internal.";
  static final String RECORD = "db.rollback.internal.";
  static final String A_RECORD = "web.rollback.internal.";

  /** Every call that changes something. */
  static final Set<String> MUTATING =
      Set.of(
          "CreateDBClusterSnapshot",
          "ModifyDBCluster",
          "RestoreDBClusterFromSnapshot",
          "CreateDBInstance",
          "AddTagsToResource",
          "ChangeResourceRecordSets");

  static String zoneId;
  static String oldValue;

  @BeforeAll
  static void seed() {
    var rds = DevStack.sandbox().rds();
    oldValue = rds.createCluster(ClusterSeed.aurora56(CLUSTER)).endpoint();
    DevStack.snapshot(CLUSTER, SNAPSHOT);
    var r53 = DevStack.sandbox().route53();
    zoneId = r53.createPrivateZone(ZONE, "vpc-0rollback1");
    r53.upsertRecord(zoneId, RECORD, "CNAME", 0, oldValue);
    r53.upsertRecord(zoneId, A_RECORD, "A", 60, "10.0.0.9");
  }

  /**
   * {@code first} (e.g. {@code start upgrade-rollback}) for {@code newCluster}, then {@code more}.
   */
  private static Cli.Result cli(String first, String newCluster, String... more) {
    List<String> args = new ArrayList<>(List.of(first.split(" ")));
    args.addAll(
        List.of(
            "--snapshot",
            SNAPSHOT,
            "--new-cluster",
            newCluster,
            "--instances",
            "1",
            "--poll-interval",
            "1s",
            "--requested-by",
            "bob",
            "--approver",
            "alice",
            "--approver",
            "bob"));
    args.addAll(List.of(more));
    return DevStack.cli(args.toArray(String[]::new));
  }

  private static long lastCall() {
    List<CallLog.Call> all = DevStack.sandbox().calls().all();
    return all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
  }

  private static List<CallLog.Call> changesSince(long seq) {
    return DevStack.sandbox().calls().all().stream()
        .filter(c -> c.seq() > seq && MUTATING.contains(c.operation()))
        .toList();
  }

  private static void assertInvalid(Cli.Result r, long before, String... mentions) {
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    for (String m : mentions) {
      assertTrue(r.err().contains(m), "stderr should mention '" + m + "':\n" + r);
    }
    assertEquals(List.of(), changesSince(before), "the sandbox saw changes");
  }

  @Test
  void givenARecordThatIsNotACname_whenStart_thenExit2NamingRecordNameAndNoChange() {
    long before = lastCall();
    Cli.Result r =
        cli(
            "start upgrade-rollback",
            "rollback-dns-a",
            "--zone-id",
            zoneId,
            "--record-name",
            A_RECORD);
    assertInvalid(
        r, before, "--record-name: '" + A_RECORD + "' is a A record, not a CNAME", "nothing was");
  }

  @Test
  void givenAMissingRecord_whenStart_thenExit2NamingRecordNameAndNoChange() {
    long before = lastCall();
    Cli.Result r =
        cli(
            "start upgrade-rollback",
            "rollback-dns-missing",
            "--zone-id",
            zoneId,
            "--record-name",
            "nope.rollback.internal");
    assertInvalid(r, before, "--record-name: no record 'nope.rollback.internal.' in zone " + ZONE);
  }

  @Test
  void givenAnUnknownZone_whenStart_thenExit2NamingZoneIdAndNoChange() {
    long before = lastCall();
    Cli.Result r =
        cli(
            "start upgrade-rollback",
            "rollback-dns-zone",
            "--zone-id",
            "ZNOSUCHZONE000",
            "--record-name",
            RECORD);
    assertInvalid(r, before, "--zone-id: 'ZNOSUCHZONE000' not found");
  }

  @Test
  void givenAnEngineOtherThanTheSnapshots_whenStart_thenExit2NamingEngineAndNoChange() {
    long before = lastCall();
    Cli.Result r = cli("start upgrade-rollback", "rollback-dns-engine", "--engine", "aurora-mysql");
    assertInvalid(r, before, "--engine: snapshot " + SNAPSHOT + " is aurora ", "not aurora-mysql");
  }

  @Test
  void
      givenACnameAndAnApprover_whenPlannedThenStartedAndApproved_thenRepointedToTheRestoredCluster()
          throws Exception {
    long beforePlan = lastCall();
    Cli.Result plan =
        cli(
            "plan upgrade-rollback",
            "rollback-dns-ok",
            "--zone-id",
            zoneId,
            "--record-name",
            RECORD);
    assertEquals(0, plan.exit(), plan.toString());
    for (String text :
        List.of(
            "dry run; nothing was changed",
            "RestoreDBClusterFromSnapshot DBClusterIdentifier=rollback-dns-ok SnapshotIdentifier="
                + SNAPSHOT
                + " Engine=aurora",
            "CreateDBInstance DBClusterIdentifier=rollback-dns-ok",
            "ChangeResourceRecordSets HostedZoneId=" + zoneId + " UPSERT " + RECORD + " CNAME",
            "now " + oldValue,
            "approval by 1 of [alice, bob]")) {
      assertTrue(plan.out().contains(text), text + " in\n" + plan);
    }
    assertEquals(List.of(), changesSince(beforePlan), "the plan changed something");

    Cli.Result start =
        cli(
            "start upgrade-rollback",
            "rollback-dns-ok",
            "--zone-id",
            zoneId,
            "--record-name",
            RECORD,
            "--wait");
    assertEquals(ExitCodes.WAITING_FOR_PERSON, start.exit(), start.toString());
    String id = "upgrade-rollback/rollback-dns-ok";
    assertEquals(
        oldValue,
        DevStack.sandbox().route53().recordValue(zoneId, RECORD, "CNAME").orElseThrow(),
        "repointed before the approval");
    Cli.Result own = DevStack.cli("approve", id, "--by", "bob");
    assertTrue(own.err().contains("the requester may not approve"), own.toString());
    assertEquals(0, DevStack.cli("approve", id, "--by", "alice").exit());
    Cli.Result watched = DevStack.cli("watch", id);
    assertEquals(0, watched.exit(), watched.toString());

    JsonNode result = Render.MAPPER.readTree(DevStack.cli("result", id, "--json").out());
    String endpoint = DevStack.sandbox().rds().cluster("rollback-dns-ok").endpoint();
    assertEquals(endpoint, result.path("endpoints").path("endpoint").asText(), result.toString());
    assertEquals(oldValue, result.path("previousCname").asText(), result.toString());
    assertEquals(
        endpoint, DevStack.sandbox().route53().recordValue(zoneId, RECORD, "CNAME").orElseThrow());
    assertEquals(
        0, DevStack.sandbox().route53().record(zoneId, RECORD, "CNAME").orElseThrow().ttl());

    JsonNode report = Render.MAPPER.readTree(DevStack.cli("report", id, "--format", "json").out());
    List<String> resources = new ArrayList<>();
    for (JsonNode res : report.path("resources")) {
      resources.add(
          res.path("kind").asText()
              + " "
              + res.path("id").asText()
              + " "
              + res.path("action").asText()
              + " "
              + res.path("detail").asText());
    }
    assertTrue(
        resources.contains(
            "CNAME "
                + RECORD
                + " CHANGED "
                + oldValue
                + " -> "
                + endpoint
                + " (change "
                + result.path("cnameChange").asText()
                + ")"),
        resources.toString());
  }
}
