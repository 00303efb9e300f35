package dev.dbops.starter.campaign;

import dev.dbops.sandbox.Faults;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One campaign run, decided before anything starts so a seed reproduces the schedule: the
 * procedure, when its worker is killed and at what exactly, and the faults it goes through.
 *
 * @param number 1-based
 * @param target ACTIVITY: the AWS operation held in flight, or {@link #MONITOR}; WAIT: {@link
 *     #APPROVAL_WAIT} or {@link #POLL_WAIT}; SIGNAL: {@link #APPROVE}
 * @param delay ACTIVITY: how long into the held call; WAIT: how long into the approval wait, or
 *     after a new poll attempt appeared; SIGNAL: how long after the signal
 * @param threshold ACTIVITY on the binlog monitor: journal rows written before the kill
 */
public record RunPlan(
    int number,
    Procedure procedure,
    KillPoint killPoint,
    String target,
    Duration delay,
    int threshold,
    FaultProfile faults) {

  /** The same plan with {@code other} faults. */
  public RunPlan withFaults(FaultProfile other) {
    return new RunPlan(number, procedure, killPoint, target, delay, threshold, other);
  }

  public static final String MONITOR = "monitor";
  public static final String APPROVAL_WAIT = "approval";
  public static final String POLL_WAIT = "poll";
  public static final String APPROVE = "approve";

  /** How long the sandbox holds the AWS call an ACTIVITY kill is aimed at. */
  public static final Duration HOLD = Duration.ofSeconds(3);

  /** Where the worker dies, for people. */
  public String describeKill() {
    long ms = delay.toMillis();
    return switch (killPoint) {
      case ACTIVITY ->
          MONITOR.equals(target)
              ? "activity: monitor after " + threshold + " journal row(s)"
              : "activity: " + target + " in flight (+" + ms + " ms)";
      case WAIT ->
          APPROVAL_WAIT.equals(target)
              ? "wait: approval (+" + ms + " ms)"
              : "wait: between " + procedure.pollActivity() + " attempts (+" + ms + " ms)";
      case SIGNAL -> "signal: right after approve (+" + ms + " ms)";
      case NONE -> "none";
    };
  }

  /** Is the kill aimed at a held AWS call (the sandbox must hold it)? */
  boolean holdsAwsCall() {
    return killPoint == KillPoint.ACTIVITY && !MONITOR.equals(target);
  }

  /**
   * {@code runs} runs, procedures in rotation; each procedure cycles through {@code killPoints} in
   * an order shuffled by the seed, so five runs of one procedure meet every kill point; targets and
   * moments are drawn from the same seed. With {@code faults}, every run also goes through the
   * fault matrix (500 and 503 alternating by run).
   */
  public static List<RunPlan> schedule(
      int runs, long seed, List<Procedure> procedures, List<KillPoint> killPoints, boolean faults) {
    if (runs < 1) throw new IllegalArgumentException("runs: must be at least 1, was " + runs);
    if (procedures.isEmpty()) throw new IllegalArgumentException("procedures: at least one");
    if (killPoints.isEmpty()) throw new IllegalArgumentException("kill points: at least one");
    Random random = new Random(seed);
    Map<Procedure, Deque<KillPoint>> cycles = new EnumMap<>(Procedure.class);
    List<RunPlan> plans = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Procedure p = procedures.get(i % procedures.size());
      Deque<KillPoint> cycle = cycles.computeIfAbsent(p, k -> new ArrayDeque<>());
      if (cycle.isEmpty()) {
        List<KillPoint> order = new ArrayList<>(killPoints);
        Collections.shuffle(order, random);
        cycle.addAll(order);
      }
      plans.add(
          draw(
              i + 1,
              p,
              cycle.removeFirst(),
              random,
              faults ? matrixFor(i + 1) : FaultProfile.NONE));
    }
    return plans;
  }

  /** The fault matrix of run {@code number}: 503 on odd runs, 500 on even ones. */
  public static FaultProfile matrixFor(int number) {
    return FaultProfile.matrix(number % 2 == 1 ? Faults.Kind.ERROR_503 : Faults.Kind.ERROR_500);
  }

  /**
   * A run of {@code procedure} killed at {@code killPoint}; target and moment drawn from {@code
   * random}.
   */
  public static RunPlan draw(
      int number, Procedure procedure, KillPoint killPoint, Random random, FaultProfile faults) {
    return switch (killPoint) {
      case ACTIVITY -> {
        String target = pick(procedure.activityTargets(), random);
        int threshold = 1 + random.nextInt(BinlogWorkload.CONFLICTS);
        yield new RunPlan(
            number,
            procedure,
            killPoint,
            target,
            Duration.ofMillis(100 + random.nextInt((int) HOLD.toMillis() - 600)),
            threshold,
            faults);
      }
      case WAIT -> {
        String target = pick(procedure.waitTargets(), random);
        Duration delay =
            Duration.ofMillis(
                APPROVAL_WAIT.equals(target) ? random.nextInt(2000) : 300 + random.nextInt(400));
        yield new RunPlan(number, procedure, killPoint, target, delay, 0, faults);
      }
      case SIGNAL ->
          new RunPlan(
              number,
              procedure,
              killPoint,
              APPROVE,
              Duration.ofMillis(random.nextInt(300)),
              0,
              faults);
      case NONE -> new RunPlan(number, procedure, killPoint, "-", Duration.ZERO, 0, faults);
    };
  }

  private static String pick(List<String> options, Random random) {
    return options.get(random.nextInt(options.size()));
  }
}
