package dev.dbops.activities.binlog;

import dev.dbops.workflows.binlog.DuplicateKeyResolution;
import dev.dbops.workflows.binlog.ForeignKeyMode;
import dev.dbops.workflows.binlog.MissingRowResolution;
import dev.dbops.workflows.binlog.SkipMode;
import dev.dbops.workflows.binlog.SkipPolicy;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * One folder of {@code src/test/resources/scenarios/} (gh-ost localtests style):
 *
 * <ul>
 *   <li>{@code schema.sql}, {@code initial.sql} — both servers, before replication starts
 *   <li>{@code replica-drift.sql} — the replica only (how it differs from the source)
 *   <li>{@code source-before-replica.sql} — the source, after the start position is taken and
 *       before the replica is set up (e.g. purge binary logs)
 *   <li>{@code workload.sql} — the source, once replication runs
 *   <li>{@code request.properties} — {@code allowed_errnos}, {@code error_pattern}, {@code budget},
 *       {@code fk_mode}, {@code mode} (TRANSACTION / STATEMENT), {@code on_duplicate_key}, {@code
 *       on_missing_row}, {@code binlog_format} (the source's, for the whole case), {@code
 *       retention_hours}, {@code heartbeat_table}, {@code decisions} (what a person answers, in
 *       order: SKIP / RETRY), {@code gtid=on} (a GTID source: see {@link #gtid})
 *   <li>{@code expect.properties} — {@code outcome} (caught_up | needs_decision | failed) and what
 *       else must hold; see {@link ScenarioTest}
 * </ul>
 */
record Scenario(
    String name,
    String schema,
    String initial,
    String replicaDrift,
    String sourceBeforeReplica,
    String workload,
    Properties request,
    Properties expect) {

  static Scenario load(Path dir) {
    return new Scenario(
        dir.getFileName().toString(),
        text(dir, "schema.sql"),
        text(dir, "initial.sql"),
        text(dir, "replica-drift.sql"),
        text(dir, "source-before-replica.sql"),
        text(dir, "workload.sql"),
        properties(dir, "request.properties"),
        properties(dir, "expect.properties"));
  }

  SkipPolicy policy() {
    List<Integer> errnos = new ArrayList<>();
    String list = request.getProperty("allowed_errnos", "").strip();
    if (!list.isEmpty())
      Arrays.stream(list.split(",")).map(String::strip).map(Integer::valueOf).forEach(errnos::add);
    String budget = request.getProperty("budget");
    String fk = request.getProperty("fk_mode");
    String mode = request.getProperty("mode");
    String dup = request.getProperty("on_duplicate_key");
    String missing = request.getProperty("on_missing_row");
    return new SkipPolicy(
        errnos,
        request.getProperty("error_pattern"),
        budget == null ? null : Integer.valueOf(budget),
        fk == null ? null : ForeignKeyMode.valueOf(fk),
        mode == null ? null : SkipMode.valueOf(mode),
        dup == null ? null : DuplicateKeyResolution.valueOf(dup),
        missing == null ? null : MissingRowResolution.valueOf(missing));
  }

  /**
   * A GTID source: the source runs with gtid_strict_mode=ON (what makes a MariaDB source a GTID
   * source for dbops) and the replica's gtid_slave_pos is the source's GTID position at the start
   * position, as a replica restored from a snapshot of the source carries it.
   */
  boolean gtid() {
    return "on".equalsIgnoreCase(request.getProperty("gtid", "off").strip());
  }

  String binlogFormat() {
    return request.getProperty("binlog_format");
  }

  Integer retentionHours() {
    String h = request.getProperty("retention_hours", "168");
    return h.isBlank() ? null : Integer.valueOf(h);
  }

  String heartbeatTable() {
    return request.getProperty("heartbeat_table");
  }

  Duration caughtUpWindow() {
    return Duration.ofMillis(Long.parseLong(request.getProperty("caught_up_window_ms", "300")));
  }

  List<String> decisions() {
    String d = request.getProperty("decisions", "").strip();
    return d.isEmpty() ? List.of() : Arrays.stream(d.split(",")).map(String::strip).toList();
  }

  private static String text(Path dir, String file) {
    Path p = dir.resolve(file);
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Properties properties(Path dir, String file) {
    Properties p = new Properties();
    Path path = dir.resolve(file);
    if (!Files.exists(path)) return p;
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
