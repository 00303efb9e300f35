package dev.dbops.starter.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.CallLog;
import dev.dbops.sandbox.Faults;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives one run as an operator would, with the worker killed at the planned moment: seeds the
 * run's fixture, starts it with {@code dbops start}, watches it, sends SIGKILL and starts a new
 * worker, approves with {@code dbops approve} (or a raw signal for a SIGNAL kill), reads {@code
 * dbops result --json}, then audits what it did.
 */
final class RunDriver {
  static final String REQUESTER = "campaign";
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);

  /** A kill moment not reached by then is reported, and the run goes on without the kill. */
  static final Duration KILL_MOMENT_TIMEOUT = Duration.ofMinutes(3);

  /**
   * An approval the run still waits for this long after it was sent (and a worker answers) was
   * lost.
   */
  static final Duration APPROVAL_LOST_AFTER = Duration.ofSeconds(45);

  /** The staging runs' grace: long, so the approval is what retires the old cluster. */
  static final String STAGING_GRACE = "30m";

  static final long POLL_MS = 100;

  private final AwsSandbox sandbox;
  private final CampaignClient client;
  private final WorkerProcesses workers;
  private final Fixtures fixtures;
  private final Path workDir;
  private final PrintWriter progress;

  /**
   * The cluster behind the staging CNAME: the last completed staging run's (null: the demo's own).
   */
  private String liveStagingCluster;

  RunDriver(
      AwsSandbox sandbox,
      CampaignClient client,
      WorkerProcesses workers,
      Fixtures fixtures,
      Path workDir,
      PrintWriter progress) {
    this.sandbox = sandbox;
    this.client = client;
    this.workers = workers;
    this.fixtures = fixtures;
    this.workDir = workDir;
    this.progress = progress;
  }

  RunReport run(RunPlan plan) throws InterruptedException {
    long started = System.nanoTime();
    String name = String.format("campaign-run-%02d", plan.number());
    Fixture fixture;
    try {
      fixture = prepare(plan, name);
    } catch (RuntimeException | SQLException | IOException e) {
      return new RunReport(
          plan,
          name,
          "NOT STARTED",
          elapsed(started),
          "-",
          List.of(),
          0,
          "-",
          List.of("could not seed the run: " + e));
    }
    List<String> problems = new ArrayList<>();
    String killNote = "-";
    String outcome;
    JsonNode result = CampaignClient.JSON.createObjectNode();
    long firstSeq = lastSeq();
    Faults faults = sandbox.faults();
    ConnectionKiller dbKiller = null;
    try {
      faults.clear();
      faults.latency(plan.holdsAwsCall() ? RunPlan.HOLD : FaultProfile.SPIKE);
      plan.faults().apply(faults);
      if (plan.holdsAwsCall()) faults.script(plan.target(), List.of(Faults.Kind.LATENCY));
      if (plan.faults().dropDbConnections() && fixture instanceof Fixture.Binlog b) {
        dbKiller =
            new ConnectionKiller(
                    List.of(b.source(), b.replica()), plan.number(), plan.faults().dbKillPause())
                .start();
      }
      List<String> start = new ArrayList<>(List.of("start", plan.procedure().cliName()));
      start.addAll(fixture.startArgs());
      start.addAll(List.of("--id", fixture.workflowId(), "--requested-by", REQUESTER));
      CampaignClient.CliResult started0 = client.cli(start);
      if (started0.exit() != 0) {
        problems.add("dbops start exited " + started0);
      } else {
        killNote = drive(plan, fixture, problems);
      }
      if (dbKiller != null) {
        dbKiller.close();
        killNote =
            killNote
                + (killNote.equals("-") ? "" : "; ")
                + dbKiller.killed()
                + " MySQL connection(s) killed";
        dbKiller = null;
      }
      faults.clear();
      if (started0.exit() == 0) {
        CampaignClient.CliResult r = client.cli("result", fixture.workflowId(), "--json");
        result = CampaignClient.JSON.readTree(r.out().isBlank() ? "{}" : r.out());
      }
    } catch (IOException | RuntimeException e) {
      problems.add("campaign error: " + e);
    } finally {
      if (dbKiller != null) dbKiller.close();
      faults.clear();
    }
    outcome =
        result.has("failureType")
            ? "FAILED " + result.path("failureType").asText()
            : result.isEmpty() ? "NOT FINISHED" : result.path("outcome").asText("COMPLETED");
    if (result.has("failureType"))
      problems.add(
          "run failed: "
              + result.path("failureType").asText()
              + ": "
              + result.path("failure").asText());
    List<CallLog.Call> window =
        sandbox.calls().all().stream().filter(c -> c.seq() > firstSeq).toList();
    SideEffectAudit.Result audit =
        SideEffectAudit.check(fixture, window, result, sandbox, fixtures.approver(), comment(plan));
    problems.addAll(audit.problems());
    if (fixture instanceof Fixture.Staging
        && result.hasNonNull("newClusterId")
        && "COMPLETED".equals(outcome)) {
      liveStagingCluster = result.path("newClusterId").asText();
    }
    try {
      fixture.close();
    } catch (RuntimeException e) {
      problems.add("could not release the run's servers: " + e);
    }
    return new RunReport(
        plan,
        fixture.workflowId(),
        outcome,
        elapsed(started),
        killNote,
        audit.effects(),
        audit.duplicates(),
        audit.approvals(),
        problems);
  }

  static String comment(RunPlan plan) {
    return "campaign run " + plan.number() + " (" + plan.killPoint().name().toLowerCase() + ")";
  }

  private Fixture prepare(RunPlan plan, String name) throws SQLException, IOException {
    Path runDir = workDir.resolve(name);
    Files.createDirectories(runDir);
    return switch (plan.procedure()) {
      case RESTORE -> fixtures.restore(name, runDir.resolve("downloads"));
      case UPGRADE -> fixtures.upgrade(name);
      case BINLOG -> {
        Fixture.Binlog b = fixtures.binlog(runDir);
        try {
          BinlogWorkload.writeBacklog(b);
        } catch (SQLException | RuntimeException e) {
          b.close();
          throw e;
        }
        yield b;
      }
      case STAGING ->
          fixtures.staging("staging-rebuild/" + name, liveStagingCluster, STAGING_GRACE);
    };
  }

  /**
   * Watches the run to its end: the kill and restart at the planned moment, the approval. Returns
   * where it died.
   */
  private String drive(RunPlan plan, Fixture fixture, List<String> problems)
      throws InterruptedException {
    String id = fixture.workflowId();
    Procedure p = plan.procedure();
    KillWatch watch = new KillWatch(plan);
    BinlogWorkload.JournalCounter journal = null;
    if (plan.holdsAwsCall()) {
      // the sandbox took the scripted call when its script entry is gone; kill into the hold
      watch.startWatcher(
          () -> !sandbox.faults().pendingScripts().containsKey(plan.target()),
          true,
          () -> plan.target() + " held by the sandbox for " + plan.delay().toMillis() + " ms");
    } else if (plan.killPoint() == KillPoint.ACTIVITY && RunPlan.MONITOR.equals(plan.target())) {
      BinlogWorkload.JournalCounter counter =
          new BinlogWorkload.JournalCounter((Fixture.Binlog) fixture);
      journal = counter;
      int all = BinlogWorkload.expectedSkips((Fixture.Binlog) fixture);
      watch.startWatcher(
          () -> counter.count() >= Math.min(plan.threshold(), all),
          false,
          () ->
              "replication monitor running, "
                  + counter.count()
                  + "/"
                  + all
                  + " journal row(s) written");
    }
    boolean approvalSent = false;
    boolean approvalResent = false;
    long approvalSentAt = 0;
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    long killDeadline = System.nanoTime() + KILL_MOMENT_TIMEOUT.toNanos();
    int lastAttempt = 0;
    try {
      while (client.running(id)) {
        watch.restartIfKilled(problems);
        if (System.nanoTime() > deadline) {
          problems.add(
              "still running after "
                  + RUN_TIMEOUT.toMinutes()
                  + " min (phase "
                  + client.phase(id)
                  + "); cancelled");
          client.cli("cancel", id);
          break;
        }
        if (!watch.killed()
            && plan.killPoint() == KillPoint.WAIT
            && RunPlan.POLL_WAIT.equals(plan.target())) {
          int attempt = client.pendingAttempt(id, p.pollActivity());
          if (attempt >= 2 && lastAttempt >= 2 && attempt > lastAttempt) {
            Thread.sleep(plan.delay().toMillis());
            watch.kill(
                "phase "
                    + client.phase(id)
                    + ", "
                    + p.pollActivity()
                    + " attempt "
                    + attempt
                    + " done");
            continue;
          }
          lastAttempt = attempt;
        }
        String phase = watch.holding() ? "" : client.phase(id);
        if ("AWAITING_DECISION".equals(phase)) {
          problems.add(
              "the run asks for a decision on a replication error: "
                  + client.status(id).map(s -> s.path("pendingError").toString()).orElse("?")
                  + "; cancelled");
          client.cli("cancel", id);
          break;
        }
        boolean atApproval = p.approvalPhase().equals(phase);
        if (atApproval
            && !watch.killed()
            && plan.killPoint() == KillPoint.WAIT
            && RunPlan.APPROVAL_WAIT.equals(plan.target())) {
          Thread.sleep(plan.delay().toMillis());
          watch.kill("phase " + phase + ", waiting for approval");
          continue;
        }
        if (atApproval && !watch.killed() && plan.killPoint() == KillPoint.SIGNAL) {
          client.signalApprove(id, fixtures.approver(), comment(plan));
          approvalSent = true;
          approvalSentAt = System.nanoTime();
          Thread.sleep(plan.delay().toMillis());
          watch.kill(
              "phase " + phase + ", approve signal sent " + plan.delay().toMillis() + " ms before");
          continue;
        }
        if (atApproval && !approvalSent) {
          CampaignClient.CliResult r =
              client.cli("approve", id, "--by", fixtures.approver(), "--comment", comment(plan));
          if (r.exit() != 0) problems.add("dbops approve exited " + r);
          approvalSent = true;
          approvalSentAt = System.nanoTime();
        } else if (atApproval
            && !approvalResent
            && System.nanoTime() - approvalSentAt > APPROVAL_LOST_AFTER.toNanos()) {
          problems.add(
              "approval lost: the run still waits for it "
                  + APPROVAL_LOST_AFTER.toSeconds()
                  + " s after it was sent; sent again");
          client.cli("approve", id, "--by", fixtures.approver(), "--comment", comment(plan));
          approvalResent = true;
        }
        if (!watch.killed()
            && plan.killPoint() != KillPoint.NONE
            && System.nanoTime() > killDeadline) {
          problems.add(
              "the kill moment ("
                  + plan.describeKill()
                  + ") never came (phase "
                  + phase
                  + "); not killed");
          watch.cancel();
        }
        Thread.sleep(POLL_MS);
      }
      watch.restartIfKilled(problems);
      if (!watch.killed())
        problems.add(
            "the run ended before the kill moment (" + plan.describeKill() + "); not killed");
    } finally {
      watch.cancel();
      if (journal != null) journal.close();
    }
    return watch.note();
  }

  /**
   * The kill: SIGKILL, then a new worker. For a held AWS call a watcher thread fires it (the run's
   * workflow task is busy meanwhile, so a status query would only wait); otherwise the driver does.
   */
  private final class KillWatch {
    private final RunPlan plan;
    private volatile boolean killed;
    private volatile boolean restarted;
    private volatile boolean cancelled;
    private volatile boolean holding;
    private volatile String note = "-";
    private volatile int exit = WorkerProcesses.KILLED;
    private Thread watcher;

    KillWatch(RunPlan plan) {
      this.plan = plan;
      if (plan.killPoint() == KillPoint.NONE) killed = restarted = true;
    }

    boolean killed() {
      return killed;
    }

    /** True while the held call is in flight and the kill is about to happen. */
    boolean holding() {
      return holding;
    }

    String note() {
      return note;
    }

    void cancel() {
      cancelled = true;
      if (watcher != null) watcher.interrupt();
      if (!killed) {
        killed = restarted = true;
        sandbox.faults().clear();
      }
    }

    /**
     * A thread that checks {@code moment} every 5 ms and kills then ({@code hold}: after the plan's
     * delay, the call being held meanwhile), for moments too short to catch between status queries.
     */
    void startWatcher(
        java.util.function.BooleanSupplier moment,
        boolean hold,
        java.util.function.Supplier<String> where) {
      watcher =
          new Thread(
              () -> {
                try {
                  while (!cancelled && !moment.getAsBoolean()) Thread.sleep(5);
                  if (cancelled) return;
                  holding = hold;
                  if (hold) Thread.sleep(plan.delay().toMillis());
                  synchronized (this) {
                    if (!killed) kill(where.get());
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  holding = false;
                }
              },
              "campaign-kill-watcher");
      watcher.setDaemon(true);
      watcher.start();
    }

    synchronized void kill(String where) throws InterruptedException {
      if (killed) return;
      String name = workers.currentName();
      exit = workers.kill();
      killed = true;
      note = where + "; " + name + " exit " + exit;
      progress.println("  run " + plan.number() + ": SIGKILL " + name + " (" + where + ")");
      progress.flush();
    }

    /** After a kill, the next worker (once). */
    synchronized void restartIfKilled(List<String> problems) throws InterruptedException {
      if (!killed || restarted) return;
      restarted = true;
      if (exit != WorkerProcesses.KILLED)
        problems.add("the killed worker exited " + exit + ", not " + WorkerProcesses.KILLED);
      try {
        workers.start();
      } catch (RuntimeException e) {
        problems.add("the new worker did not start: " + e.getMessage());
      }
    }
  }

  private long lastSeq() {
    List<CallLog.Call> all = sandbox.calls().all();
    return all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
