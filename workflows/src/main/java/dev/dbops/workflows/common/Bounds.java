package dev.dbops.workflows.common;

import io.temporal.workflow.Workflow;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bounds of every duration, number and text in every request and every person's input (approve,
 * reject, decide, abort): the one table the requests' {@code problems()}, the workflows' signal
 * handlers and the CLI's flag converters check, and that {@code docs/bounds.md} lists (a test keeps
 * the page equal to {@link #markdown}).
 *
 * <p>Why: a value no procedure can mean (an approval timeout of 999,999,999 days) passed validation
 * and then failed every workflow task of the run (the timer overflows Temporal's duration), wedging
 * it. Every field a request holds is walked ({@link #problems}): a field the table names has its
 * own bounds, any other duration {@link #DEFAULT_DURATION}, any other whole number {@link
 * #DEFAULT_INTEGER}, any other fraction {@link #DEFAULT_FRACTION} (finite), any other text at most
 * {@link #DEFAULT_TEXT} characters — so a field added later is bounded too. The run's own carried
 * state ({@code carryOver} of a continued binlog run) is not input and not walked.
 */
public final class Bounds {
  private Bounds() {}

  /**
   * {@code Workflow.getVersion} change id of the bounds check inside a run: asked only when a
   * request breaks a bound, so a run within bounds records no marker and an older run out of bounds
   * replays as it ran.
   */
  public static final String BOUNDS_CHANGE = "request-bounds";

  /**
   * A closed range: durations in {@link Duration}, numbers as they are, text lengths in characters.
   */
  public record Range(Object min, Object max, String note) {
    String describe() {
      return min instanceof Duration a ? human(a) + ".." + human((Duration) max) : min + ".." + max;
    }
  }

  public static final Range DEFAULT_DURATION =
      new Range(Duration.ZERO, Duration.ofDays(366), "any other duration");
  public static final Range DEFAULT_INTEGER =
      new Range(0L, 1_000_000_000L, "any other whole number");
  public static final Range DEFAULT_FRACTION =
      new Range(0.0, 1_000_000_000.0, "any other number (finite)");
  public static final Range DEFAULT_TEXT = new Range(0, 65_536, "any other text (characters)");

  /** A person's name: {@code requestedBy}, {@code by}, an approver. */
  public static final int MAX_NAME = 128;

  /** A person's free text: an approval's comment, a rejection's or abort's reason. */
  public static final int MAX_COMMENT = 2_000;

  /**
   * The longest duration a flag or a request field may hold (Temporal's own limit is far above).
   */
  public static final Duration MAX_DURATION = (Duration) DEFAULT_DURATION.max();

  /**
   * Between a request record's simple name and a field: the bounds of that field in that request
   * only ({@code UpgradeRequest#maxWait}), ahead of the field's bounds in every request.
   */
  static final String STEP = "#";

  /** Field (dotted path within the request, {@code []} for list items) to its bounds. */
  public static final Map<String, Range> FIELDS;

  static {
    Map<String, Range> m = new LinkedHashMap<>();
    Duration s1 = Duration.ofSeconds(1);
    m.put(
        "approval.timeout",
        new Range(s1, Duration.ofDays(30), "how long a run waits for approvers"));
    m.put(
        "approval.remindEvery",
        new Range(
            Duration.ofMinutes(5),
            Duration.ofDays(30),
            "a reminder this often while a run waits for a person"));
    m.put(
        "approval.escalateAfter",
        new Range(
            Duration.ofMinutes(1),
            Duration.ofDays(30),
            "escalate a wait nobody answered after this"));
    m.put(
        "decisionTimeout",
        new Range(s1, Duration.ofDays(30), "how long a binlog run waits for a decision"));
    m.put("pollInterval", new Range(s1, Duration.ofDays(1), "pause between readiness checks"));
    m.put("maxWait", new Range(s1, Duration.ofDays(30), "give up waiting after this"));
    m.put("snapshotMaxWait", new Range(s1, Duration.ofDays(30), "give up waiting for a snapshot"));
    m.put(
        "restoreMaxWait",
        new Range(s1, Duration.ofDays(30), "give up waiting for a restored cluster"));
    m.put("dnsMaxWait", new Range(s1, Duration.ofDays(30), "give up waiting for DNS to be INSYNC"));
    // Deadlines no step can meet: refused before the first change, not found out after it (an
    // upgrade given 1s took its snapshot and modified the cluster, then failed with it upgrading).
    Duration m1 = Duration.ofMinutes(1);
    Duration m5 = Duration.ofMinutes(5);
    Duration m10 = Duration.ofMinutes(10);
    m.put(
        "UpgradeRequest" + STEP + "maxWait",
        new Range(
            m10,
            Duration.ofDays(30),
            "upgrade: a major version upgrade restarts every instance; a wait under 10m fails with the cluster upgrading"));
    m.put(
        "UpgradeRequest" + STEP + "snapshotMaxWait",
        new Range(
            m5,
            Duration.ofDays(30),
            "upgrade: the snapshot comes before any change; a wait under 5m fails after taking it"));
    // The binlog monitor polls SHOW SLAVE STATUS inside one activity: sub-second polls cost no
    // history.
    m.put(
        "BinlogCatchUpRequest" + STEP + "pollInterval",
        new Range(
            Duration.ofMillis(50),
            Duration.ofDays(1),
            "binlog-catch-up: SHOW SLAVE STATUS polls inside the monitor activity"));
    m.put(
        "RollbackRequest" + STEP + "maxWait",
        new Range(
            m10,
            Duration.ofDays(30),
            "upgrade-rollback: a restore and its instances; a wait under 10m fails after restoring"));
    m.put(
        "StagingRebuildRequest" + STEP + "snapshotMaxWait",
        new Range(
            m5,
            Duration.ofDays(30),
            "staging-rebuild: a wait under 5m fails after taking the snapshot"));
    m.put(
        "StagingRebuildRequest" + STEP + "restoreMaxWait",
        new Range(
            m10,
            Duration.ofDays(30),
            "staging-rebuild: a restore and its instances; a wait under 10m fails after restoring"));
    m.put(
        "StagingRebuildRequest" + STEP + "dnsMaxWait",
        new Range(
            m1,
            Duration.ofDays(30),
            "staging-rebuild: Route53 changes take about a minute to be INSYNC"));
    m.put(
        "MigrationRequest" + STEP + "createMaxWait",
        new Range(
            m1,
            Duration.ofDays(30),
            "aurora-migration: the replica cluster and its instances are created, then waited for"));
    m.put(
        "MigrationRequest" + STEP + "upgradeMaxWait",
        new Range(
            m10,
            Duration.ofDays(30),
            "aurora-migration: a major version upgrade restarts the source; a wait under 10m fails with it upgrading"));
    m.put(
        "MigrationRequest" + STEP + "dnsMaxWait",
        new Range(
            m1, Duration.ofDays(30), "aurora-migration: Route53 changes take about a minute"));
    m.put(
        "MigrationRequest" + STEP + "cutoverWindow",
        new Range(
            s1,
            Duration.ofHours(1),
            "aurora-migration: the replica at the source's final position this long, writes stopped"));
    m.put(
        "MigrationRequest" + STEP + "revertWindow",
        new Range(
            Duration.ZERO,
            Duration.ofDays(7),
            "aurora-migration: the run stays open this long after the cut-over for a revert"));
    m.put(
        "stallThreshold", new Range(s1, Duration.ofDays(30), "notify when an upgrade runs longer"));
    m.put("progressEvery", new Range(s1, Duration.ofDays(30), "progress notice interval"));
    m.put(
        "retire.grace",
        new Range(Duration.ZERO, Duration.ofDays(30), "wait before retiring the old cluster"));
    m.put(
        "caughtUpWindow",
        new Range(
            Duration.ZERO,
            Duration.ofDays(1),
            "lag 0 this long on top of the position check (0: caught up at the source position)"));
    m.put("monitorSlice", new Range(s1, Duration.ofDays(1), "one monitor activity's slice"));
    m.put("approval.required", new Range(1L, 100L, "M of the N approvers"));
    m.put(
        "approvalThresholdUsd",
        new Range(0.0, 1_000_000_000.0, "ask for approval above this estimate"));
    m.put("days", new Range(1L, 365L, "days S3 keeps a restored copy"));
    m.put("batchSize", new Range(1L, 1_000L, "objects per activity call"));
    m.put("maxConcurrentBatches", new Range(1L, 64L, "batches in flight"));
    m.put("concurrencyPerBatch", new Range(1L, 64L, "S3 calls in flight per batch"));
    m.put("instances", new Range(1L, 15L, "instances of a rolled-back cluster"));
    m.put("instanceCount", new Range(1L, 16L, "instances of a staging cluster"));
    m.put("dns.ttl", new Range(0L, 86_400L, "seconds"));
    m.put("source.port", new Range(1L, 65_535L, "TCP port"));
    m.put("replica.port", new Range(1L, 65_535L, "TCP port"));
    m.put("startPosition.position", new Range(0L, 9_007_199_254_740_991L, "binlog byte offset"));
    m.put("skipPolicy.allowedErrnos[]", new Range(1L, 65_535L, "MySQL error numbers"));
    m.put("skipPolicy.budget", new Range(0L, 1_000_000L, "skips before a person decides"));
    m.put("continueAfterEvents", new Range(100L, 40_000L, "history events before continue-as-new"));
    m.put("limits.maxTrxRowsModified", new Range(0L, 9_007_199_254_740_991L, "rows"));
    m.put("limits.warnHistoryListLength", new Range(0L, 9_007_199_254_740_991L, "undo records"));
    m.put("limits.maxHistoryListLength", new Range(0L, 9_007_199_254_740_991L, "undo records"));
    m.put("requestedBy", new Range(0, MAX_NAME, "characters"));
    m.put("approval.approvers[]", new Range(0, MAX_NAME, "characters"));
    m.put("approval.escalateTo[]", new Range(0, MAX_NAME, "characters"));
    m.put("by", new Range(0, MAX_NAME, "characters (approve, reject, decide, abort)"));
    m.put("comment", new Range(0, MAX_COMMENT, "characters (approve)"));
    m.put("reason", new Range(0, MAX_COMMENT, "characters (reject, decide, abort)"));
    FIELDS = java.util.Collections.unmodifiableMap(m);
  }

  /** Fields not walked: state a run carries over, not input. */
  static final Set<String> NOT_INPUT = Set.of("carryOver");

  /**
   * Every bound {@code value} (a request or a person's input record) breaks, one message per field
   * ({@code approval.timeout: must be 1s..30d, was 999999999d}), skipping fields {@code already}
   * has a message for. Inside a workflow, asked behind {@link #BOUNDS_CHANGE}.
   */
  public static List<String> problems(Object value, List<String> already) {
    List<String> out = new ArrayList<>();
    walk(value == null ? "" : value.getClass().getSimpleName(), value, "", out, already);
    if (out.isEmpty() || !enforced()) return List.of();
    return out;
  }

  /** {@link #problems} of a record with nothing reported yet. */
  public static List<String> problems(Object value) {
    return problems(value, List.of());
  }

  /**
   * Why a person's input ({@link Approval}, {@link Rejection}, an error decision, {@link Abort}) is
   * refused for its size ({@code comment: at most 2000 characters, was 5000}), or null. The approve
   * / reject / decide / abort handlers record it as a refusal, as the CLI refuses the flag.
   */
  public static String refusal(Object input) {
    List<String> p = problems(input);
    return p.isEmpty() ? null : String.join("; ", p);
  }

  /**
   * {@code text} cut to {@code max} characters (a refused oversized name kept short in the record).
   */
  public static String cut(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max) + "…";
  }

  /**
   * Whether the bounds apply: always outside a workflow, inside one for runs after {@link
   * #BOUNDS_CHANGE}.
   */
  static boolean enforced() {
    return !WorkflowUnsafe.isWorkflowThread()
        || DecisionUpdates.validating()
        || Workflow.getVersion(BOUNDS_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /** The bounds of {@code field} (dotted path), the table's or the default for {@code type}. */
  public static Range of(String field, Class<?> type) {
    Range r = FIELDS.get(field);
    if (r != null) return r;
    if (type == Duration.class) return DEFAULT_DURATION;
    if (type == Double.class || type == double.class || type == Float.class || type == float.class)
      return DEFAULT_FRACTION;
    if (type == String.class) return DEFAULT_TEXT;
    return DEFAULT_INTEGER;
  }

  /** A duration outside {@code range} as a message naming {@code field}, or null. */
  public static String durationProblem(String field, Duration d, Range range) {
    if (d == null) return null;
    if (d.compareTo((Duration) range.min()) < 0 || d.compareTo((Duration) range.max()) > 0) {
      return field + ": must be " + range.describe() + ", was " + human(d);
    }
    return null;
  }

  private static void walk(
      String root, Object value, String path, List<String> out, List<String> already) {
    if (value == null || !value.getClass().isRecord()) return;
    for (RecordComponent c : value.getClass().getRecordComponents()) {
      if (NOT_INPUT.contains(c.getName())) continue;
      Object v;
      try {
        v = c.getAccessor().invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      String field = path.isEmpty() ? c.getName() : path + "." + c.getName();
      check(root, field, v, out, already);
    }
  }

  private static void check(
      String root, String field, Object v, List<String> out, List<String> already) {
    if (v == null) return;
    if (v instanceof Collection<?> items) {
      for (Object item : items) check(root, field + "[]", item, out, already);
      return;
    }
    if (v instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        check(root, field + "[]", e.getKey(), out, already);
        check(root, field + "." + e.getKey(), e.getValue(), out, already);
      }
      return;
    }
    if (v.getClass().isRecord()) {
      walk(root, v, field, out, already);
      return;
    }
    String problem = problem(root, field, v);
    if (problem == null) return;
    String name = field.replace("[]", "");
    for (String a : already) {
      if (a.startsWith(name + ":") || a.startsWith(name + "[")) return;
    }
    for (String a : out) {
      if (a.startsWith(field + ":")) return;
    }
    out.add(problem);
  }

  private static String problem(String root, String field, Object v) {
    String key =
        FIELDS.containsKey(root + STEP + field)
            ? root + STEP + field
            : field.contains(".") && !FIELDS.containsKey(field) ? tail(field) : field;
    if (v instanceof Duration d) return durationProblem(field, d, of(key, Duration.class));
    if (v instanceof Double || v instanceof Float) {
      double x = ((Number) v).doubleValue();
      Range r = of(key, Double.class);
      double lo = ((Number) r.min()).doubleValue();
      double hi = ((Number) r.max()).doubleValue();
      if (!Double.isFinite(x) || x < lo || x > hi)
        return field + ": must be " + r.describe() + ", was " + x;
      return null;
    }
    if (v instanceof Number n) {
      long x = n.longValue();
      Range r = of(key, Long.class);
      if (x < ((Number) r.min()).longValue() || x > ((Number) r.max()).longValue()) {
        return field + ": must be " + r.describe() + ", was " + x;
      }
      return null;
    }
    if (v instanceof String s) {
      Range r = of(key, String.class);
      if (s.length() > ((Number) r.max()).intValue()) {
        return field + ": at most " + r.max() + " characters, was " + s.length();
      }
    }
    return null;
  }

  /**
   * The table's key for a nested field: the full path when the table has it, else the last name (so
   * {@code approval.timeout} and {@code retire.grace} are their own, and {@code comment} of an
   * approval is {@code comment} wherever it sits).
   */
  private static String tail(String field) {
    return field.substring(field.lastIndexOf('.') + 1);
  }

  /** A duration as people type it to the CLI: {@code 90s}, {@code 30d}, {@code 1h30m}. */
  public static String human(Duration d) {
    if (d.isNegative()) return "-" + human(d.negated());
    if (d.isZero()) return "0s";
    StringBuilder sb = new StringBuilder();
    long days = d.toDays();
    if (days > 0) sb.append(days).append('d');
    if (d.toHoursPart() > 0) sb.append(d.toHoursPart()).append('h');
    if (d.toMinutesPart() > 0) sb.append(d.toMinutesPart()).append('m');
    if (d.toSecondsPart() > 0) sb.append(d.toSecondsPart()).append('s');
    if (d.toMillisPart() > 0) sb.append(d.toMillisPart()).append("ms");
    return sb.length() == 0 ? d.toString() : sb.toString();
  }

  /** The table as the Markdown of {@code docs/bounds.md}. */
  public static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Bounds of every duration, number and text\n\n")
        .append(
            "Generated from `workflows/.../common/Bounds.java` (a test keeps this page equal to it).\n")
        .append(
            "A request or a flag outside these is refused at validation: `dbops` exits 2 naming the\n")
        .append(
            "field or flag, and a start from the Temporal UI fails as `InvalidInput`. Durations are\n")
        .append(
            "written as the CLI takes them (`90s`, `5m`, `2h`, `3d`). A request as JSON is at most\n")
        .append(MAX_REQUEST_BYTES / 1024)
        .append(" KB, any one flag value at most ")
        .append(MAX_FLAG_CHARS / 1024)
        .append(" K characters.\n\n")
        .append("| field | bounds | what |\n|---|---|---|\n");
    FIELDS.forEach(
        (f, r) ->
            md.append("| `")
                .append(f)
                .append("` | ")
                .append(r.describe())
                .append(" | ")
                .append(r.note())
                .append(" |\n"));
    for (Range r : List.of(DEFAULT_DURATION, DEFAULT_INTEGER, DEFAULT_FRACTION, DEFAULT_TEXT)) {
      md.append("| *").append(r.note()).append("* | ").append(r.describe()).append(" | |\n");
    }
    return md.toString();
  }

  /** The largest request, as JSON, that a start accepts (CLI and worker alike). */
  public static final int MAX_REQUEST_BYTES = 256 * 1024;

  /** The longest single flag value the CLI accepts. */
  public static final int MAX_FLAG_CHARS = 64 * 1024;
}
