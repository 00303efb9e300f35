package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.binlog.BinlogCatchUpRequest;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.RestoreTier;
import dev.dbops.workflows.staging.StagingRebuildRequest;
import dev.dbops.workflows.upgrade.RollbackRequest;
import dev.dbops.workflows.upgrade.UpgradeRequest;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one table of bounds: checked by every request, and the page that documents it is equal to it.
 */
class BoundsTest {
  static final Path PAGE = Path.of("docs", "bounds.md");

  static Path repoRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("docs")) && Files.exists(d.resolve("mvnw"))) return d;
    }
    return null;
  }

  @Test
  void givenTheTable_whenDocsAreRead_thenDocsBoundsMdIsTheTable() throws Exception {
    Path root = repoRoot();
    assertNotNull(root, "repository root");
    Path page = root.resolve(PAGE);
    if (Boolean.getBoolean("dbops.writeDocs")) Files.writeString(page, Bounds.markdown());
    assertTrue(Files.exists(page), PAGE + " is missing: run with -Ddbops.writeDocs=true");
    assertEquals(
        Bounds.markdown(),
        Files.readString(page),
        PAGE
            + " differs from Bounds: run this test with -Ddbops.writeDocs=true and commit the page");
  }

  @Test
  void givenAnApprovalTimeoutOf999999999Days_whenValidated_thenRefusedNamingTheField() {
    GlacierRestoreRequest r =
        GlacierRestoreRequest.Builder.of("bucket-a", "p/")
            .tier(RestoreTier.STANDARD)
            .requireApproval(true)
            .requestedBy("bob")
            .approval(new ApprovalPolicy(List.of("alice"), 1, Duration.ofDays(999_999_999L)))
            .build();
    assertEquals(List.of("approval.timeout: must be 1s..30d, was 999999999d"), r.problems());
  }

  @Test
  void givenValuesOutsideTheirBounds_whenEachProcedureValidates_thenEachIsNamed() {
    GlacierRestoreRequest g =
        GlacierRestoreRequest.Builder.of("bucket-a", "p/")
            .tier(RestoreTier.STANDARD)
            .maxWait(Duration.ofDays(400))
            .pollInterval(Duration.ofDays(2))
            .approvalThresholdUsd(Double.POSITIVE_INFINITY)
            .requestedBy("x".repeat(Bounds.MAX_NAME + 1))
            .build();
    List<String> p = g.problems();
    assertTrue(p.contains("maxWait: must be 1s..30d, was 400d"), p.toString());
    assertTrue(p.contains("pollInterval: must be 1s..1d, was 2d"), p.toString());
    assertTrue(
        p.stream()
            .anyMatch(m -> m.startsWith("approvalThresholdUsd: must be 0.0..1.0E9, was Infinity")),
        p.toString());
    assertTrue(p.contains("requestedBy: at most 128 characters, was 129"), p.toString());
  }

  @Test
  void givenDeadlinesShorterThanTheirStepCanTake_whenValidated_thenRefusedForThatProcedureOnly() {
    UpgradeRequest u =
        new UpgradeRequest(
            "orders",
            "5.7.mysql_aurora.2.11.2",
            null,
            null,
            new DbLogin("dbops", "env:P"),
            null,
            null,
            true,
            null,
            "bob",
            null,
            null,
            null,
            Duration.ofSeconds(1),
            Duration.ofMinutes(4),
            null,
            null);
    assertTrue(u.problems().contains("maxWait: must be 10m..30d, was 1s"), u.problems().toString());
    assertTrue(
        u.problems().contains("snapshotMaxWait: must be 5m..30d, was 4m"), u.problems().toString());
    RollbackRequest r =
        new RollbackRequest(
            "s",
            "orders-back",
            null,
            null,
            null,
            "db.r5.large",
            1,
            "bob",
            null,
            Duration.ofMinutes(9));
    assertTrue(r.problems().contains("maxWait: must be 10m..30d, was 9m"), r.problems().toString());
    // The same field name elsewhere keeps its own bounds: a restore of an Expedited object can take
    // a minute.
    GlacierRestoreRequest g =
        GlacierRestoreRequest.Builder.of("bucket-a", "p/")
            .tier(RestoreTier.EXPEDITED)
            .maxWait(Duration.ofMinutes(2))
            .requestedBy("bob")
            .build();
    assertEquals(List.of(), g.problems());
  }

  @Test
  void givenPersonsInputTooLong_whenChecked_thenRefusedAndCut() {
    assertEquals(
        "comment: at most 2000 characters, was 2001",
        Bounds.refusal(new Approval("alice", "x".repeat(2001))));
    assertEquals(null, Bounds.refusal(new Approval("alice", "fine")));
    assertEquals(
        "reason: at most 2000 characters, was 5000",
        Bounds.refusal(new Rejection("alice", "y".repeat(5000))));
  }

  /**
   * Every duration and number any request can hold has a bound: the table's own or a default, and
   * the defaults are finite — so a field added later is bounded without anyone remembering.
   */
  @Test
  void givenEveryRequest_whenItsFieldsAreWalked_thenEachDurationAndNumberHasAFiniteBound() {
    List<String> fields = new ArrayList<>();
    for (Class<?> c :
        List.of(
            GlacierRestoreRequest.class,
            UpgradeRequest.class,
            RollbackRequest.class,
            StagingRebuildRequest.class,
            BinlogCatchUpRequest.class)) {
      walk(c, "", fields);
    }
    assertTrue(fields.size() > 30, fields.toString());
    for (String f : fields) {
      String[] parts = f.split(" ");
      Class<?> type =
          parts[1].equals("Duration")
              ? Duration.class
              : parts[1].equals("Double") ? Double.class : Long.class;
      Bounds.Range r = Bounds.of(parts[0], type);
      assertNotNull(r.max(), f);
      if (r.max() instanceof Duration d) assertTrue(d.compareTo(Bounds.MAX_DURATION) <= 0, f);
    }
  }

  private static void walk(Class<?> c, String path, List<String> out) {
    if (!c.isRecord()) return;
    for (RecordComponent rc : c.getRecordComponents()) {
      if (Bounds.NOT_INPUT.contains(rc.getName())) continue;
      String f = path.isEmpty() ? rc.getName() : path + "." + rc.getName();
      Class<?> t = rc.getType();
      Type g = rc.getGenericType();
      if (t == List.class
          && g instanceof ParameterizedType pt
          && pt.getActualTypeArguments()[0] instanceof Class<?> e) {
        if (e.isRecord()) walk(e, f + "[]", out);
        else if (Number.class.isAssignableFrom(e)) out.add(f + "[] Long");
      } else if (t.isRecord()) {
        walk(t, f, out);
      } else if (t == Duration.class) {
        out.add(f + " Duration");
      } else if (t == Double.class || t == double.class) {
        out.add(f + " Double");
      } else if (Number.class.isAssignableFrom(t)
          || (t.isPrimitive() && t != boolean.class) && t != Map.class) {
        out.add(f + " Long");
      }
    }
  }
}
