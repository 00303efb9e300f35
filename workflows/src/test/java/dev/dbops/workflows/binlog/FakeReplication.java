package dev.dbops.workflows.binlog;

import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A replica that stops on a scripted sequence of errors. The monitor skips what the policy and
 * budget allow (journaling each, with monotonic ids as the journal table would) and returns
 * NEEDS_DECISION on the rest, SLICE_ENDED while scripted slices remain, then CAUGHT_UP.
 */
class FakeReplication implements ReplicationActivities {
  record Conflict(int errno, String error) {}

  final Deque<Conflict> conflicts = new ConcurrentLinkedDeque<>();
  final AtomicInteger monitorCalls = new AtomicInteger();

  /** The skip policy of every monitor call, in order. */
  final List<SkipPolicy> monitoredWith = new ArrayList<>();

  final AtomicInteger cutovers = new AtomicInteger();
  final AtomicInteger setups = new AtomicInteger();
  final List<ErrorDecision> carriedOut = new ArrayList<>();
  volatile int slicesBeforeCatchUp;
  volatile String ioFailure;

  /**
   * Watching slices (while the cut-over waits for approval) and draining slices (to the final
   * position).
   */
  final AtomicInteger watches = new AtomicInteger();

  final AtomicInteger drains = new AtomicInteger();

  /** Conflicts met only on the way to the cut-over's final position. */
  final Deque<Conflict> drainConflicts = new ConcurrentLinkedDeque<>();

  /** Draining slices that end with the replica still short of the final position. */
  volatile int drainSlicesShort;

  /** A draining slice finds the replica past the final position (the source still writes). */
  volatile boolean drainPastFinal;

  /** cutOverAt refuses: the replica stopped short of the final position. */
  volatile boolean refuseCutover;

  final List<CutoverRequest> cutOversAt = new ArrayList<>();
  final List<BinlogPosition> finalPositions = new ArrayList<>();
  private long nextId = 1;
  private long pos = 1000;

  /** Every source check asked for, in order. */
  final List<SourceCheck> sourceChecks = new ArrayList<>();

  @Override
  public SourceReport checkSource(SourceCheck check) {
    sourceChecks.add(check);
    return new SourceReport(
        true, "MIXED", 168, true, new BinlogPosition("mysql-bin.000001", 4), List.of(), List.of());
  }

  @Override
  public BinlogPosition startFromRdsEvents(String replicaClusterId) {
    if (!"restored-1".equals(replicaClusterId)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no crash-recovery event for " + replicaClusterId, ErrorTypes.NOT_FOUND);
    }
    return new BinlogPosition("mysql-bin-changelog.000118", 245880);
  }

  @Override
  public ReplicaState setUpReplica(ReplicaSetup setup) {
    setups.incrementAndGet();
    return state(0, null);
  }

  private ReplicaState state(int errno, String error) {
    return new ReplicaState(
        true,
        errno == 0,
        errno,
        error,
        0,
        null,
        new BinlogPosition("mysql-bin.000001", pos),
        new BinlogPosition("mysql-bin.000001", pos + 100),
        errno == 0 ? 0L : null);
  }

  @Override
  public synchronized MonitorOutcome monitor(MonitorRequest r) {
    monitorCalls.incrementAndGet();
    monitoredWith.add(r.policy());
    if (ioFailure != null) {
      throw ApplicationFailure.newNonRetryableFailure(ioFailure, ErrorTypes.REPLICATION_BROKEN);
    }
    List<JournalEntry> fresh = new ArrayList<>();
    int budget = r.budgetRemaining();
    Deque<Conflict> queue =
        r.until() != null && !drainConflicts.isEmpty() ? drainConflicts : conflicts;
    if (r.watching()) watches.incrementAndGet();
    if (r.until() != null) drains.incrementAndGet();
    while (!queue.isEmpty()) {
      Conflict c = queue.peek();
      if (!r.policy().allows(c.errno(), c.error()) || budget == 0) {
        String reason = !r.policy().allows(c.errno(), c.error()) ? "NOT_ALLOWED" : "BUDGET_SPENT";
        return new MonitorOutcome(
            MonitorOutcome.NEEDS_DECISION,
            fresh,
            state(c.errno(), c.error()),
            new BinlogPosition("mysql-bin.000001", pos + 100),
            -1,
            "seconds_behind_master",
            reason);
      }
      queue.pop();
      budget--;
      fresh.add(entry(c, "policy"));
    }
    if (r.watching()) {
      return new MonitorOutcome(
          MonitorOutcome.SLICE_ENDED,
          fresh,
          state(0, null),
          new BinlogPosition("mysql-bin.000001", pos),
          0,
          "heartbeat",
          null);
    }
    if (r.until() != null) {
      if (drainPastFinal) {
        pos = r.until().position() + 300;
        return new MonitorOutcome(
            MonitorOutcome.NEEDS_DECISION,
            fresh,
            state(0, null),
            new BinlogPosition("mysql-bin.000001", pos),
            0,
            "heartbeat",
            MonitorOutcome.SOURCE_MOVED);
      }
      if (drainSlicesShort > 0) {
        drainSlicesShort--;
        return new MonitorOutcome(
            MonitorOutcome.SLICE_ENDED, fresh, state(0, null), r.until(), 3, "heartbeat", null);
      }
      pos = r.until().position();
      return new MonitorOutcome(
          MonitorOutcome.CAUGHT_UP, fresh, state(0, null), r.until(), 0, "heartbeat", null);
    }
    if (slicesBeforeCatchUp > 0) {
      slicesBeforeCatchUp--;
      return new MonitorOutcome(
          MonitorOutcome.SLICE_ENDED,
          fresh,
          state(0, null),
          new BinlogPosition("mysql-bin.000001", pos + 100),
          42,
          "heartbeat",
          null);
    }
    return new MonitorOutcome(
        MonitorOutcome.CAUGHT_UP,
        fresh,
        state(0, null),
        new BinlogPosition("mysql-bin.000001", pos),
        0,
        "heartbeat",
        null);
  }

  private JournalEntry entry(Conflict c, String by) {
    pos += 200;
    return new JournalEntry(
        nextId++,
        new BinlogPosition("mysql-bin.000001", pos),
        "relay.000002:" + pos,
        c.errno(),
        c.error(),
        List.of("INSERT INTO t VALUES (" + pos + ")"),
        "SKIP",
        by,
        "t");
  }

  @Override
  public synchronized JournalEntry carryOut(DecisionRequest r) {
    carriedOut.add(r.decision());
    Conflict c = !drainConflicts.isEmpty() ? drainConflicts.pop() : conflicts.pop();
    return ErrorDecision.SKIP.equals(r.decision().action()) ? entry(c, r.decision().by()) : null;
  }

  @Override
  public CutoverReport cutOver(DbTarget replica, DbTarget source) {
    cutovers.incrementAndGet();
    return new CutoverReport(
        new BinlogPosition("mysql-bin.000001", pos), new BinlogPosition("mysql-bin.000001", pos));
  }

  /** The source never reports read_only. */
  volatile boolean sourceWritable;

  final AtomicInteger finalPositionChecks = new AtomicInteger();

  /** The source stopped 1,000 bytes ahead of the replica. */
  @Override
  public synchronized BinlogPosition sourceFinalPosition(CutoverCheck check) {
    finalPositionChecks.incrementAndGet();
    if (sourceWritable && check.writesStoppedOrDefault() == WritesStopped.READ_ONLY) {
      throw ErrorTypes.notReady(
          "source " + check.source().address() + " still takes writes: read_only is OFF");
    }
    BinlogPosition at = new BinlogPosition("mysql-bin.000001", pos + 1000);
    finalPositions.add(at);
    return at;
  }

  @Override
  public synchronized CutoverReport cutOverAt(CutoverRequest r) {
    cutOversAt.add(r);
    // Refusing: the replica's SQL thread stopped 200 bytes short, whatever the monitor reported.
    BinlogPosition executed =
        new BinlogPosition("mysql-bin.000001", refuseCutover ? pos - 200 : pos);
    if (refuseCutover || !executed.equals(r.finalPosition())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cut-over refused: the replica executed up to "
              + executed
              + ", short of the source's final position "
              + r.finalPosition(),
          ErrorTypes.CUTOVER_REFUSED);
    }
    cutovers.incrementAndGet();
    return new CutoverReport(executed, r.finalPosition());
  }

  @Override
  public JournalPage journalPage(JournalPageRequest request) {
    throw new UnsupportedOperationException("the catch-up never reads its journal back");
  }
}
