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
  private long nextId = 1;
  private long pos = 1000;

  @Override
  public SourceReport checkSource(SourceCheck check) {
    return new SourceReport(true, "MIXED", 168, true, new BinlogPosition("mysql-bin.000001", 4), List.of(), List.of());
  }

  @Override
  public BinlogPosition startFromRdsEvents(String replicaClusterId) {
    if (!"restored-1".equals(replicaClusterId)) {
      throw ApplicationFailure.newNonRetryableFailure("no crash-recovery event for " + replicaClusterId,
          ErrorTypes.NOT_FOUND);
    }
    return new BinlogPosition("mysql-bin-changelog.000118", 245880);
  }

  @Override
  public ReplicaState setUpReplica(ReplicaSetup setup) {
    setups.incrementAndGet();
    return state(0, null);
  }

  private ReplicaState state(int errno, String error) {
    return new ReplicaState(true, errno == 0, errno, error, 0, null,
        new BinlogPosition("mysql-bin.000001", pos), new BinlogPosition("mysql-bin.000001", pos + 100),
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
    while (!conflicts.isEmpty()) {
      Conflict c = conflicts.peek();
      if (!r.policy().allows(c.errno(), c.error()) || budget == 0) {
        String reason = !r.policy().allows(c.errno(), c.error()) ? "NOT_ALLOWED" : "BUDGET_SPENT";
        return new MonitorOutcome(MonitorOutcome.NEEDS_DECISION, fresh, state(c.errno(), c.error()),
            new BinlogPosition("mysql-bin.000001", pos + 100), -1, "seconds_behind_master", reason);
      }
      conflicts.pop();
      budget--;
      fresh.add(entry(c, "policy"));
    }
    if (slicesBeforeCatchUp > 0) {
      slicesBeforeCatchUp--;
      return new MonitorOutcome(MonitorOutcome.SLICE_ENDED, fresh, state(0, null),
          new BinlogPosition("mysql-bin.000001", pos + 100), 42, "heartbeat", null);
    }
    return new MonitorOutcome(MonitorOutcome.CAUGHT_UP, fresh, state(0, null),
        new BinlogPosition("mysql-bin.000001", pos), 0, "heartbeat", null);
  }

  private JournalEntry entry(Conflict c, String by) {
    pos += 200;
    return new JournalEntry(nextId++, new BinlogPosition("mysql-bin.000001", pos), "relay.000002:" + pos,
        c.errno(), c.error(), List.of("INSERT INTO t VALUES (" + pos + ")"), "SKIP", by, "t");
  }

  @Override
  public synchronized JournalEntry carryOut(DecisionRequest r) {
    carriedOut.add(r.decision());
    Conflict c = conflicts.pop();
    return ErrorDecision.SKIP.equals(r.decision().action()) ? entry(c, r.decision().by()) : null;
  }

  @Override
  public CutoverReport cutOver(DbTarget replica, DbTarget source) {
    cutovers.incrementAndGet();
    return new CutoverReport(new BinlogPosition("mysql-bin.000001", pos), new BinlogPosition("mysql-bin.000001", pos));
  }

  @Override
  public JournalPage journalPage(JournalPageRequest request) {
    throw new UnsupportedOperationException("the catch-up never reads its journal back");
  }
}
