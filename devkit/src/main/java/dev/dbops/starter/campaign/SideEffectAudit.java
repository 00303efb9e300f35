package dev.dbops.starter.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.CallLog;
import dev.dbops.sandbox.mysql.LocalMariaDb;
import dev.dbops.workflows.binlog.SkipMode;
import dev.dbops.workflows.staging.StagingNames;
import dev.dbops.workflows.upgrade.UpgradeRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a finished run did, from the sandbox's own call log (the calls made while the run was going:
 * runs do not overlap) and the local MariaDB servers, against what it should have done: every
 * resource it creates created once, its approval recorded once, and the data where it belongs. A
 * call counts as a side effect when the sandbox answered it with 2xx (RestoreObject: 202, a
 * retrieval started): a re-sent create that was refused as already existing, a RestoreObject
 * answered 200 (already restored), or a call an injected fault stopped, changed nothing. A
 * duplicate is the same call taking effect twice on one resource, or a create taking effect more
 * often than the procedure creates (a second snapshot under another name is one too). The call-log
 * half ({@link #checkCalls}) is pure, so a synthetic log shows the audit can fail.
 */
final class SideEffectAudit {
  private SideEffectAudit() {}

  /** Calls that change something and must not take effect twice for the same resource. */
  static final Set<String> SIDE_EFFECTS =
      Set.of(
          "CreateDBClusterSnapshot",
          "CopyDBClusterSnapshot",
          "RestoreDBClusterFromSnapshot",
          "CreateDBInstance",
          "ModifyDBCluster",
          "DeleteDBCluster",
          "DeleteDBClusterSnapshot",
          "RestoreObject",
          "CopyObject",
          "ChangeResourceRecordSets");

  record Result(List<String> effects, int duplicates, String approvals, List<String> problems) {}

  static Result check(
      Fixture fixture,
      List<CallLog.Call> window,
      JsonNode result,
      AwsSandbox sandbox,
      String approver,
      String comment) {
    boolean completed = completed(result);
    Audit a = new Audit(window);
    a.calls(fixture, completed);
    if (completed) {
      try {
        if (fixture instanceof Fixture.Restore r) a.restoreState(r, result);
        else if (fixture instanceof Fixture.Upgrade u) a.upgradeState(u, result, sandbox);
        else if (fixture instanceof Fixture.Binlog b) a.binlogState(b, result);
        else if (fixture instanceof Fixture.Staging s) a.stagingState(s, result, sandbox);
      } catch (SQLException | IOException e) {
        a.problems.add("could not check: " + e);
      }
    }
    String approvals = a.approvals(result, approver, comment, completed);
    return new Result(a.effects, a.duplicates, approvals, a.problems);
  }

  /**
   * The call-log half of {@link #check}: every side effect in {@code window} against what the
   * fixture's procedure does once ({@code completed}: a shortfall is a problem too).
   */
  static Result checkCalls(Fixture fixture, List<CallLog.Call> window, boolean completed) {
    Audit a = new Audit(window);
    a.calls(fixture, completed);
    return new Result(a.effects, a.duplicates, "-", a.problems);
  }

  /** The approval half of {@link #check}: {@code approver} approved once, with {@code comment}. */
  static Result checkApprovals(JsonNode result, String approver, String comment) {
    Audit a = new Audit(List.of());
    String approvals = a.approvals(result, approver, comment, completed(result));
    return new Result(a.effects, a.duplicates, approvals, a.problems);
  }

  static boolean completed(JsonNode result) {
    return !result.isEmpty()
        && !result.has("failureType")
        && "COMPLETED".equals(result.path("outcome").asText("COMPLETED"));
  }

  private static final class Audit {
    final List<CallLog.Call> window;
    final List<String> effects = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    /** Per operation, the calls {@link #duplicates()} already counted (same resource again). */
    final Map<String, Integer> sameResourceSurplus = new LinkedHashMap<>();

    int duplicates;

    Audit(List<CallLog.Call> window) {
      this.window = window;
    }

    /**
     * Did the call change something? A 2xx answer, except for RestoreObject: 202 started a
     * retrieval, 200 only says a restored copy is already there (S3 then just sets its expiry
     * again).
     */
    static boolean ok(CallLog.Call c) {
      if (c.operation().equals("RestoreObject")) return c.status() == 202;
      return c.status() >= 200 && c.status() < 300;
    }

    /** Any side effect taken twice on the same resource, whatever the procedure. */
    void duplicates() {
      Map<List<String>, Integer> byResource = new LinkedHashMap<>();
      for (CallLog.Call c : window) {
        if (SIDE_EFFECTS.contains(c.operation()) && ok(c)) {
          byResource.merge(Arrays.asList(c.operation(), c.bucket(), c.key()), 1, Integer::sum);
        }
      }
      byResource.forEach(
          (what, n) -> {
            if (n > 1) {
              duplicates += n - 1;
              sameResourceSurplus.merge(what.get(0), n - 1, Integer::sum);
              problems.add(
                  "duplicated side effect: "
                      + what.get(0)
                      + " "
                      + what.get(1)
                      + (what.get(2) == null ? "" : "/" + what.get(2))
                      + " took effect "
                      + n
                      + " times");
            }
          });
    }

    /** Side effects by procedure: each done once (duplicates whatever happened). */
    void calls(Fixture fixture, boolean completed) {
      duplicates();
      if (fixture instanceof Fixture.Restore r) restoreCalls(r, completed);
      else if (fixture instanceof Fixture.Upgrade u) upgradeCalls(u, completed);
      else if (fixture instanceof Fixture.Staging s) stagingCalls(s, completed);
      // a binlog catch-up makes no AWS call from an explicit position: its skips are in the journal
    }

    /**
     * {@code operation} took effect {@code expected} times in the window, on the resource {@code
     * which} names. More is a duplicate (also under another name: a second snapshot or cluster is
     * one even if no name repeats); fewer, or none on that resource, is a problem once the run
     * {@code completed}.
     */
    void expect(
        String operation,
        Predicate<CallLog.Call> which,
        int expected,
        String what,
        boolean completed) {
      List<CallLog.Call> done =
          window.stream().filter(c -> c.operation().equals(operation) && ok(c)).toList();
      long sent = window.stream().filter(c -> c.operation().equals(operation)).count();
      int n = done.size();
      effects.add(operation + " " + n + (sent > n ? " (" + sent + " sent)" : ""));
      int otherNames = n - expected - sameResourceSurplus.getOrDefault(operation, 0);
      if (otherNames > 0) {
        duplicates += otherNames;
        problems.add(
            "duplicated side effect: "
                + operation
                + " took effect "
                + n
                + " times, expected "
                + expected
                + " (on "
                + done.stream()
                    .map(c -> c.bucket() + (c.key() == null ? "" : "/" + c.key()))
                    .toList()
                + ")");
      }
      if (completed && n < expected)
        problems.add(operation + " for " + what + ": " + n + " took effect, expected " + expected);
      if (completed && n > 0 && done.stream().noneMatch(which))
        problems.add(operation + " never took effect on " + what);
    }

    void restoreCalls(Fixture.Restore r, boolean completed) {
      int archived = 0;
      for (Map.Entry<String, String> e : r.storageClasses().entrySet()) {
        if ("STANDARD".equals(e.getValue())) continue;
        archived++;
        long n =
            window.stream()
                .filter(
                    c ->
                        c.operation().equals("RestoreObject")
                            && ok(c)
                            && r.bucket().equals(c.bucket())
                            && e.getKey().equals(c.key()))
                .count();
        if (completed && n == 0)
          problems.add("RestoreObject for " + e.getKey() + ": never took effect");
      }
      long restores =
          window.stream().filter(c -> c.operation().equals("RestoreObject") && ok(c)).count();
      long sent = window.stream().filter(c -> c.operation().equals("RestoreObject")).count();
      effects.add(
          "RestoreObject "
              + restores
              + "/"
              + archived
              + (sent > restores ? " (" + sent + " sent)" : ""));
      int otherObjects =
          (int) restores - archived - sameResourceSurplus.getOrDefault("RestoreObject", 0);
      if (otherObjects > 0) {
        duplicates += otherObjects;
        problems.add(
            "RestoreObject took effect "
                + restores
                + " times for "
                + archived
                + " archived object(s)");
      }
    }

    void restoreState(Fixture.Restore r, JsonNode result) throws IOException {
      int delivered = result.path("counts").path("DELIVERED").asInt();
      if (delivered != r.contents().size())
        problems.add("delivered " + delivered + " of " + r.contents().size());
      for (Map.Entry<String, byte[]> e : r.contents().entrySet()) {
        Path file = r.downloadDir().resolve(e.getKey());
        if (!Files.exists(file)) {
          problems.add("missing download " + file);
        } else if (!Arrays.equals(e.getValue(), Files.readAllBytes(file))) {
          problems.add("download " + file + " differs from the object");
        }
      }
    }

    void upgradeCalls(Fixture.Upgrade u, boolean completed) {
      String snapshot = UpgradeRequest.snapshotIdFor(u.workflowId());
      expect("CreateDBClusterSnapshot", c -> snapshot.equals(c.key()), 1, snapshot, completed);
      expect("ModifyDBCluster", c -> u.clusterId().equals(c.bucket()), 1, u.clusterId(), completed);
    }

    void upgradeState(Fixture.Upgrade u, JsonNode result, AwsSandbox sandbox) throws SQLException {
      String engine = sandbox.rds().cluster(u.clusterId()).engineVersion();
      if (!u.targetVersion().equals(engine))
        problems.add("cluster " + u.clusterId() + " is on " + engine);
      try (Connection c = u.db().connect();
          Statement s = c.createStatement()) {
        String version = scalar(s, "SELECT VERSION()");
        if (!version.startsWith("5.7"))
          problems.add("MariaDB of " + u.clusterId() + " reports " + version);
        String rows = scalar(s, u.rowsQuery());
        if (!Objects.equals(rows, Long.toString(u.rows())))
          problems.add(u.rowsQuery() + " = " + rows + ", expected " + u.rows());
      }
      if (!result.path("reportedVersion").asText("").startsWith("5.7")) {
        problems.add("result reportedVersion " + result.path("reportedVersion"));
      }
    }

    void binlogState(Fixture.Binlog b, JsonNode result) throws SQLException {
      int expected = BinlogWorkload.expectedSkips(b);
      BinlogWorkload.Journal j = BinlogWorkload.journal(b);
      effects.add("journal " + j.rows() + "/" + expected + " rows, skips " + j.skipsTotal());
      if (j.rows() != expected)
        problems.add("journal has " + j.rows() + " rows, expected " + expected);
      if (j.distinctCoordinates() != j.rows())
        problems.add(
            "journal: " + j.rows() + " rows for " + j.distinctCoordinates() + " coordinates");
      if (j.skippedOnce() != j.rows()) {
        problems.add(
            "journal: "
                + (j.rows() - j.skippedOnce())
                + " row(s) not skipped exactly once (skips total "
                + j.skipsTotal()
                + ")");
        if (j.skipsTotal() > j.rows()) duplicates += j.skipsTotal() - j.rows();
      }
      int skipped = result.path("skippedByPolicy").asInt() + result.path("skippedByPeople").asInt();
      if (skipped != expected)
        problems.add("result says " + skipped + " skipped, expected " + expected);
      int journaled =
          result.has("journaled")
              ? result.path("journaled").asInt()
              : result.path("journal").size();
      if (journaled != expected) problems.add("result says " + journaled + " journaled");
      List<Integer> missing = BinlogWorkload.missingCleanRows(b);
      if (!missing.isEmpty()) {
        duplicates += missing.size();
        problems.add("clean transactions missing on the replica (skipped too): " + missing);
      }
      // The conflicting transactions' other rows: STATEMENT mode applies them (only the conflicting
      // row is left out), a whole-transaction skip leaves them out with it.
      int applied = BinlogWorkload.appliedConflictRows(b);
      if (b.skipMode() == SkipMode.STATEMENT) {
        if (applied != BinlogWorkload.CONFLICTS) {
          problems.add(
              (BinlogWorkload.CONFLICTS - applied)
                  + " row(s) of conflicting transactions are missing on the"
                  + " replica (STATEMENT mode leaves out only the conflicting row)");
        }
      } else if (applied != 0) {
        problems.add(applied + " row(s) of skipped transactions are on the replica");
      }
    }

    void stagingCalls(Fixture.Staging s, boolean completed) {
      StagingNames names = StagingNames.forWorkflow(s.workflowId());
      expect(
          "CreateDBClusterSnapshot",
          c -> names.snapshotId().equals(c.key()),
          1,
          names.snapshotId(),
          completed);
      expect(
          "CopyDBClusterSnapshot",
          c -> c.key() != null && c.key().endsWith(names.copySnapshotId()),
          1,
          names.copySnapshotId(),
          completed);
      expect(
          "RestoreDBClusterFromSnapshot",
          c -> names.clusterId().equals(c.bucket()),
          1,
          names.clusterId(),
          completed);
      expect(
          "CreateDBInstance",
          c -> names.instanceId(0).equals(c.key()),
          1,
          names.instanceId(0),
          completed);
      expect("ChangeResourceRecordSets", c -> true, 1, s.recordName(), completed);
      expect(
          "DeleteDBCluster",
          c -> s.oldClusterId().equals(c.bucket()),
          1,
          s.oldClusterId(),
          completed);
    }

    void stagingState(Fixture.Staging s, JsonNode result, AwsSandbox sandbox) throws SQLException {
      StagingNames names = StagingNames.forWorkflow(s.workflowId());
      if (!"RETIRED".equals(result.path("retirement").asText()))
        problems.add("retirement " + result.path("retirement"));
      Optional<String> cname = sandbox.route53().recordValue(s.zoneId(), s.recordName(), "CNAME");
      String endpoint = sandbox.rds().cluster(s.targetAccount(), names.clusterId()).endpoint();
      if (!cname
          .map(v -> v.replaceAll("\\.$", ""))
          .equals(Optional.of(endpoint.replaceAll("\\.$", "")))) {
        problems.add(
            s.recordName()
                + " -> "
                + cname.orElse("nothing")
                + ", not "
                + names.clusterId()
                + " at "
                + endpoint);
      }
      Optional<LocalMariaDb> db = sandbox.rds().binding(s.targetAccount(), names.clusterId());
      if (db.isEmpty()) {
        problems.add("no MariaDB behind " + names.clusterId());
        return;
      }
      Fixture.Database copy =
          new Fixture.Database(db.get().jdbcUrl(""), db.get().rootUser(), db.get().rootPassword());
      try (Connection c = copy.connect();
          Statement st = c.createStatement()) {
        for (String q : s.verifyQueries()) {
          String v = scalar(st, q);
          if (!"0".equals(v))
            problems.add("unmasked rows on " + names.clusterId() + ": " + q + " = " + v);
        }
        String users = scalar(st, "SELECT COUNT(*) FROM app.users");
        if (!Integer.toString(s.users()).equals(users))
          problems.add("app.users has " + users + " rows, expected " + s.users());
      }
    }

    /** The approval (or, for a binlog catch-up, the cut-over decision) recorded exactly once. */
    String approvals(JsonNode result, String approver, String comment, boolean completed) {
      JsonNode records =
          result.has("approvals") ? result.path("approvals") : result.path("decisions");
      int ours = 0;
      int approved = 0;
      for (JsonNode r : records) {
        if ("approved".equals(r.path("outcome").asText())
            && approver.equals(r.path("by").asText())) {
          approved++;
          if (comment.equals(r.path("comment").asText())) ours++;
        }
      }
      if (completed && (approved != 1 || ours != 1)) {
        problems.add(
            "approval recorded "
                + approved
                + " time(s) ("
                + ours
                + " with this run's comment), expected once: "
                + records);
      }
      return approved + "×" + approver;
    }

    private static String scalar(Statement s, String sql) throws SQLException {
      try (ResultSet rs = s.executeQuery(sql)) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
