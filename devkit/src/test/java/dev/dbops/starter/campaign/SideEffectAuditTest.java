package dev.dbops.starter.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.sandbox.CallLog;
import dev.dbops.workflows.staging.StagingNames;
import dev.dbops.workflows.upgrade.UpgradeRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The audit fails when it should: synthetic call logs (as the sandbox records them) with a side
 * effect taken twice, and results with an approval lost or recorded twice.
 */
class SideEffectAuditTest {
  static final String STAGING_ID = "staging-rebuild/campaign-run-04";
  static final StagingNames NAMES = StagingNames.forWorkflow(STAGING_ID);
  static final String ZONE = "ZSBX00000000000001";
  static final Fixture.Staging STAGING =
      new Fixture.Staging(
          STAGING_ID,
          List.of(),
          "210987654321",
          "prod-main",
          "staging-old",
          ZONE,
          "db.staging.internal.",
          300,
          List.of());
  static final Fixture.Upgrade UPGRADE =
      new Fixture.Upgrade(
          "upgrade/campaign-run-02",
          List.of(),
          "campaign-run-02",
          "5.7.mysql_aurora.2.11.2",
          new Fixture.Database("jdbc:mysql://127.0.0.1:1/", "root", ""),
          "SELECT 1",
          1,
          () -> {});
  static final Fixture.Restore RESTORE =
      new Fixture.Restore(
          "restore/b/demo/",
          List.of(),
          "b",
          Map.of("demo/a", "GLACIER", "demo/b", "DEEP_ARCHIVE", "demo/c", "STANDARD"),
          Map.of(),
          Path.of("unused"));

  /** A call log as the sandbox writes it: seq in order, status and fault per call. */
  static final class Log {
    final List<CallLog.Call> calls = new ArrayList<>();

    Log call(
        String service,
        String operation,
        String resource,
        String second,
        int status,
        String fault) {
      calls.add(
          new CallLog.Call(calls.size() + 1, service, operation, resource, second, status, fault));
      return this;
    }

    Log ok(String service, String operation, String resource, String second) {
      return call(service, operation, resource, second, 200, null);
    }

    /** Everything a staging rebuild does once, with the polls between. */
    Log stagingOnce() {
      return ok("rds", "CreateDBClusterSnapshot", "prod-main", NAMES.snapshotId())
          .ok("rds", "DescribeDBClusterSnapshots", NAMES.snapshotId(), null)
          .ok("rds", "CopyDBClusterSnapshot", NAMES.snapshotId(), NAMES.copySnapshotId())
          .ok("rds", "ModifyDBClusterSnapshotAttribute", NAMES.copySnapshotId(), null)
          .ok("rds", "RestoreDBClusterFromSnapshot", NAMES.clusterId(), NAMES.copySnapshotId())
          .ok("rds", "DescribeDBClusters", NAMES.clusterId(), null)
          .ok("rds", "CreateDBInstance", NAMES.clusterId(), NAMES.instanceId(0))
          .ok("rds", "ModifyDBCluster", NAMES.clusterId(), null)
          .ok("route53", "ChangeResourceRecordSets", "/hostedzone/" + ZONE, null)
          .ok("route53", "GetChange", "/change/C1", null)
          .ok("rds", "DeleteDBCluster", "staging-old", null);
    }
  }

  @Test
  void givenEveryStagingSideEffectOnce_whenAudited_thenNoDuplicateAndNoProblem() {
    SideEffectAudit.Result r =
        SideEffectAudit.checkCalls(STAGING, new Log().stagingOnce().calls, true);

    assertEquals(0, r.duplicates(), r.problems()::toString);
    assertEquals(List.of(), r.problems());
    assertTrue(r.effects().contains("RestoreDBClusterFromSnapshot 1"), r.effects()::toString);
  }

  @Test
  void givenCreateDBClusterSnapshotTakenTwice_whenAudited_thenOneDuplicateNamed() {
    Log log =
        new Log()
            .stagingOnce()
            .ok("rds", "CreateDBClusterSnapshot", "prod-main", NAMES.snapshotId());

    SideEffectAudit.Result r = SideEffectAudit.checkCalls(STAGING, log.calls, true);

    assertEquals(1, r.duplicates(), r.problems()::toString);
    assertTrue(
        r.problems().stream()
            .anyMatch(
                p ->
                    p.contains("duplicated side effect: CreateDBClusterSnapshot")
                        && p.contains(NAMES.snapshotId())),
        r.problems()::toString);
  }

  @Test
  void givenRestoreDBClusterFromSnapshotUnderASecondName_whenAudited_thenOneDuplicate() {
    Log log =
        new Log()
            .stagingOnce()
            .ok(
                "rds",
                "RestoreDBClusterFromSnapshot",
                NAMES.clusterId() + "-2",
                NAMES.copySnapshotId());

    SideEffectAudit.Result r = SideEffectAudit.checkCalls(STAGING, log.calls, true);

    assertEquals(1, r.duplicates(), r.problems()::toString);
    assertTrue(
        r.problems().stream()
            .anyMatch(p -> p.startsWith("duplicated side effect: RestoreDBClusterFromSnapshot")),
        r.problems()::toString);
  }

  @Test
  void givenChangeResourceRecordSetsTakenTwice_whenAudited_thenOneDuplicate() {
    Log log =
        new Log()
            .stagingOnce()
            .ok("route53", "ChangeResourceRecordSets", "/hostedzone/" + ZONE, null);

    SideEffectAudit.Result r = SideEffectAudit.checkCalls(STAGING, log.calls, true);

    assertEquals(1, r.duplicates(), r.problems()::toString);
    assertTrue(
        r.problems().stream().anyMatch(p -> p.contains("ChangeResourceRecordSets")),
        r.problems()::toString);
  }

  @Test
  void givenCallsFaultsStoppedOrRefusedAsExisting_whenAudited_thenNoDuplicate() {
    Log log =
        new Log()
            .call(
                "rds",
                "CreateDBClusterSnapshot",
                "prod-main",
                NAMES.snapshotId(),
                0,
                "DROP_CONNECTION")
            .call(
                "rds", "CreateDBClusterSnapshot", "prod-main", NAMES.snapshotId(), 400, "THROTTLE")
            .stagingOnce()
            .call(
                "rds",
                "RestoreDBClusterFromSnapshot",
                NAMES.clusterId(),
                NAMES.copySnapshotId(),
                400,
                null)
            .call(
                "route53",
                "ChangeResourceRecordSets",
                "/hostedzone/" + ZONE,
                null,
                503,
                "ERROR_503");

    SideEffectAudit.Result r = SideEffectAudit.checkCalls(STAGING, log.calls, true);

    assertEquals(0, r.duplicates(), r.problems()::toString);
    assertEquals(List.of(), r.problems());
    assertTrue(r.effects().contains("CreateDBClusterSnapshot 1 (3 sent)"), r.effects()::toString);
  }

  @Test
  void givenACompletedStagingRunWithoutItsCnameChange_whenAudited_thenAProblemButNoDuplicate() {
    Log log = new Log().stagingOnce();
    log.calls.removeIf(c -> c.operation().equals("ChangeResourceRecordSets"));

    SideEffectAudit.Result r = SideEffectAudit.checkCalls(STAGING, log.calls, true);

    assertEquals(0, r.duplicates());
    assertEquals(
        List.of("ChangeResourceRecordSets for db.staging.internal.: 0 took effect, expected 1"),
        r.problems());
  }

  @Test
  void givenAnUpgradeSnapshotTakenUnderTwoNames_whenAudited_thenOneDuplicate() {
    String snapshot = UpgradeRequest.snapshotIdFor(UPGRADE.workflowId());
    Log log =
        new Log()
            .ok("rds", "CreateDBClusterSnapshot", UPGRADE.clusterId(), snapshot)
            .ok("rds", "CreateDBClusterSnapshot", UPGRADE.clusterId(), snapshot + "-again")
            .ok("rds", "ModifyDBCluster", UPGRADE.clusterId(), null);

    SideEffectAudit.Result r = SideEffectAudit.checkCalls(UPGRADE, log.calls, true);

    assertEquals(1, r.duplicates(), r.problems()::toString);
  }

  @Test
  void givenAnObjectRestoredTwice_whenAudited_thenOneDuplicate() {
    Log log =
        new Log()
            .call("s3", "RestoreObject", "b", "demo/a", 202, null)
            .call("s3", "RestoreObject", "b", "demo/b", 202, null)
            .call("s3", "RestoreObject", "b", "demo/a", 202, null);

    SideEffectAudit.Result r = SideEffectAudit.checkCalls(RESTORE, log.calls, true);

    assertEquals(1, r.duplicates(), r.problems()::toString);
    assertTrue(
        r.problems().contains("duplicated side effect: RestoreObject b/demo/a took effect 2 times"),
        r.problems()::toString);
  }

  @Test
  void givenRestoreObjectResentAfterARestoreCompleted_whenAudited_thenNoDuplicate() {
    Log log =
        new Log()
            .call("s3", "RestoreObject", "b", "demo/a", 202, null)
            .call("s3", "RestoreObject", "b", "demo/b", 202, null)
            .call("s3", "RestoreObject", "b", "demo/a", 200, null)
            .call("s3", "RestoreObject", "b", "demo/b", 409, null);

    SideEffectAudit.Result r = SideEffectAudit.checkCalls(RESTORE, log.calls, true);

    assertEquals(0, r.duplicates(), r.problems()::toString);
    assertEquals(List.of(), r.problems());
    assertEquals(List.of("RestoreObject 2/2 (4 sent)"), r.effects());
  }

  @Test
  void givenTheApprovalRecordedTwice_whenAudited_thenAProblem() {
    JsonNode result =
        result(
            "approvals",
            approval("alice", "campaign run 4 (signal)"),
            approval("alice", "campaign run 4 (signal)"));

    SideEffectAudit.Result r =
        SideEffectAudit.checkApprovals(result, "alice", "campaign run 4 (signal)");

    assertEquals("2×alice", r.approvals());
    assertEquals(1, r.problems().size(), r.problems()::toString);
  }

  @Test
  void givenACompletedRunWithoutTheApprovalSent_whenAudited_thenTheApprovalIsLost() {
    JsonNode result = result("decisions", approval("alice", "someone else's comment"));

    SideEffectAudit.Result r =
        SideEffectAudit.checkApprovals(result, "alice", "campaign run 3 (wait)");

    assertTrue(
        r.problems().get(0).startsWith("approval recorded 1 time(s) (0 with this run's comment)"),
        r.problems()::toString);
  }

  @Test
  void givenTheApprovalRecordedOnce_whenAudited_thenNoProblem() {
    JsonNode result = result("approvals", approval("alice", "campaign run 1 (wait)"));

    SideEffectAudit.Result r =
        SideEffectAudit.checkApprovals(result, "alice", "campaign run 1 (wait)");

    assertEquals(List.of(), r.problems());
    assertEquals("1×alice", r.approvals());
  }

  @Test
  void givenOneRunWithADuplicate_whenReported_thenTheSummarySaysSoAndTheCampaignFails() {
    List<RunPlan> plans =
        RunPlan.schedule(4, 1, List.of(Procedure.values()), List.of(KillPoint.values()), false);
    List<RunReport> runs = new ArrayList<>();
    for (RunPlan p : plans) {
      boolean broken = p.procedure() == Procedure.STAGING;
      runs.add(
          new RunReport(
              p,
              "id-" + p.number(),
              "COMPLETED",
              Duration.ofSeconds(1),
              "-",
              List.of(),
              broken ? 1 : 0,
              "1×alice",
              broken ? List.of("duplicated side effect: ChangeResourceRecordSets") : List.of()));
    }

    CampaignReport report = new CampaignReport(1, runs, Duration.ofMinutes(1), 5);

    assertEquals("4/4 completed, 1 duplicated side effects", report.summary());
    assertFalse(report.passed());
  }

  @Test
  void givenASeed_whenScheduled_thenTheSamePlansEveryProcedureAndEveryKillPointPerProcedure() {
    List<Procedure> all = List.of(Procedure.values());
    List<KillPoint> kills = List.of(KillPoint.ACTIVITY, KillPoint.WAIT, KillPoint.SIGNAL);

    List<RunPlan> a = RunPlan.schedule(12, 7, all, kills, true);
    List<RunPlan> b = RunPlan.schedule(12, 7, all, kills, true);

    assertEquals(a, b);
    for (Procedure p : all) {
      assertEquals(
          3,
          a.stream().filter(r -> r.procedure() == p).map(RunPlan::killPoint).distinct().count(),
          p::name);
    }
    assertTrue(a.stream().allMatch(r -> r.faults().active()));
    assertEquals(
        all, RunPlan.schedule(4, 1, all, kills, false).stream().map(RunPlan::procedure).toList());
  }

  @Test
  void givenTheFaultMatrix_whenDescribed_thenFourKindsOfTwentyPercent() {
    FaultProfile m = RunPlan.matrixFor(1);

    assertEquals(0.8, m.probability(), 1e-9);
    assertEquals(4, m.kinds().size());
    assertTrue(
        m.describe().startsWith("20 % each of [THROTTLE, ERROR_503, DROP_CONNECTION, LATENCY]"),
        m.describe());
    assertTrue(RunPlan.matrixFor(2).kinds().contains(dev.dbops.sandbox.Faults.Kind.ERROR_500));
  }

  private static ObjectNode approval(String by, String comment) {
    ObjectNode a = CampaignClient.JSON.createObjectNode();
    a.put("outcome", "approved").put("by", by).put("comment", comment);
    return a;
  }

  private static JsonNode result(String field, ObjectNode... records) {
    ObjectNode r = CampaignClient.JSON.createObjectNode();
    r.put("outcome", "COMPLETED");
    var array = r.putArray(field);
    for (ObjectNode a : records) array.add(a);
    return r;
  }
}
