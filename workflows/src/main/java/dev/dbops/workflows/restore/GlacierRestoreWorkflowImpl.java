package dev.dbops.workflows.restore;

import static dev.dbops.workflows.restore.RestoreSteps.APPROVE;
import static dev.dbops.workflows.restore.RestoreSteps.ESTIMATE;
import static dev.dbops.workflows.restore.RestoreSteps.LIST;
import static dev.dbops.workflows.restore.RestoreSteps.RESTORE;
import static dev.dbops.workflows.restore.RestoreSteps.STEPS;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.ProcedureRun;
import dev.dbops.workflows.common.ProcedureWorkflow;
import dev.dbops.workflows.common.RunStatus;
import dev.dbops.workflows.restore.RestorePhase.Phase;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docs/procedures.md, glacier. Objects are handled in batches (one activity call each step), each
 * batch a pipeline request → wait → deliver, so a batch is delivered as soon as it is restored, and
 * a 10,000-object run costs a few hundred history events. Waiting is the poll activity's retry
 * policy: nothing is written to history while S3 works. The steps are declared in {@link
 * RestoreSteps}.
 */
public class GlacierRestoreWorkflowImpl extends ProcedureWorkflow<Phase>
    implements GlacierRestoreWorkflow {
  /** Per-object outcomes kept in the result; history payloads are bounded (2 MB). */
  static final int MAX_OUTCOMES_IN_RESULT = 1000;

  static final int LIST_PAGE_SIZE = 1000;

  /** Change id: DOWNLOAD's directory and key paths are checked before any restore. */
  static final String DOWNLOAD_CHECKED_CHANGE = "download-directory-checked";

  private final S3RestoreActivities s3 =
      Workflow.newActivityStub(S3RestoreActivities.class, ActivityStubs.AWS_CALL);
  private final S3RestoreActivities s3Batch =
      Workflow.newActivityStub(S3RestoreActivities.class, ActivityStubs.AWS_BATCH);
  private final OutcomeTally outcomes = new OutcomeTally();
  private int objectsTotal;
  private int objectsToRestore;
  private long bytesToRestore;
  private int restoresRequested;
  private int restored;
  private int batchesRunning;
  private CostEstimate cost;

  public GlacierRestoreWorkflowImpl() {
    super(RestorePhase.PROCEDURE, Phase.class);
  }

  @Override
  public GlacierRestoreResult run(GlacierRestoreRequest request) {
    if (request == null) throw run.invalidInput("request: missing");
    return run.guard(() -> restore(request));
  }

  private GlacierRestoreResult restore(GlacierRestoreRequest request) {
    run.start(request.approval(), request.requestedBy());
    run.tellHooks(() -> hookData(request));
    List<String> problems = request.problems();
    if (!problems.isEmpty()) throw run.invalidInput(String.join("; ", problems));

    List<ObjectInfo> inventory = run.step(LIST, () -> listInventory(request));
    objectsTotal = inventory.size();
    run.note("listed", objectsTotal + " object(s)");

    RestorePlanner planner =
        run.step(
            ESTIMATE, () -> new RestorePlanner(request, withoutUndeliverable(request, inventory)));
    run.warnAll(planner.warnings());
    if (planner.refusal() != null) throw run.invalidInput(planner.refusal());
    cost = planner.cost();
    objectsToRestore = planner.toRestore().size();
    bytesToRestore = planner.toRestore().stream().mapToLong(ObjectInfo::size).sum();
    run.note(
        "estimated",
        String.format(
            "%d to restore, %d bytes, $%.4f", objectsToRestore, bytesToRestore, cost.totalUsd()));
    if (request.isDryRun()) return run.complete(result(GlacierRestoreResult.PLANNED, planner));

    if (APPROVE.appliesTo(planner)) {
      run.gate(
          APPROVE,
          String.format("request restores (%d objects, $%.2f)", objectsToRestore, cost.totalUsd()));
    }
    run.step(RESTORE, () -> runBatches(request, planner.batches()));
    run.note("completed", outcomes.delivered() + " delivered, " + outcomes.failed() + " failed");
    return run.complete(
        result(
            outcomes.failed() > 0
                ? GlacierRestoreResult.COMPLETED_WITH_FAILURES
                : GlacierRestoreResult.COMPLETED,
            planner));
  }

  /** What hooks are told at every phase (as DBOPS_<KEY> variables and JSON). */
  private Map<String, String> hookData(GlacierRestoreRequest request) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("bucket", request.bucket());
    d.put("prefix", request.prefix());
    d.put("objects_to_restore", String.valueOf(objectsToRestore));
    d.put("delivered", String.valueOf(outcomes.delivered()));
    d.put("failed", String.valueOf(outcomes.failed()));
    return d;
  }

  @Override
  public GlacierRestoreStatus status() {
    RunStatus s = run.status();
    return new GlacierRestoreStatus(
        s.phase(),
        s.waitingFor(),
        s.approvers(),
        objectsTotal,
        objectsToRestore,
        restoresRequested,
        restored,
        outcomes.delivered(),
        outcomes.failed(),
        bytesToRestore,
        cost,
        s.warnings(),
        s.approvals(),
        s.timeline());
  }

  private List<ObjectInfo> listInventory(GlacierRestoreRequest request) {
    List<ObjectInfo> all = new ArrayList<>();
    String token = null;
    do {
      ListPage page;
      try {
        page =
            s3.listObjects(
                new ListQuery(
                    request.bucket(),
                    request.prefix(),
                    request.keys(),
                    token,
                    LIST_PAGE_SIZE,
                    request.concurrencyPerBatchOrDefault()));
      } catch (ActivityFailure f) {
        throw asInvalidInputWhenRequestIsWrong(request, f);
      }
      all.addAll(page.objects());
      token = page.nextPageToken();
    } while (token != null);
    if (all.isEmpty()) {
      throw run.invalidInput(
          "prefix: no object in s3://"
              + request.bucket()
              + "/"
              + (request.prefix() == null ? "" : request.prefix())
              + " matches");
    }
    return all;
  }

  /**
   * DOWNLOAD: the worker checks the directory (a writable directory, not a link, room for the
   * objects) and every key is mapped onto its path ({@link DownloadCheck}) before anything is
   * restored. A bad directory fails the run as invalid input; a key that cannot get a path of its
   * own (not canonical, or colliding with another) fails as an object and is not restored.
   */
  private List<ObjectInfo> withoutUndeliverable(
      GlacierRestoreRequest request, List<ObjectInfo> inventory) {
    Delivery delivery = request.deliveryOrDefault();
    if (delivery.mode() != DeliveryMode.DOWNLOAD) return inventory;
    if (Workflow.getVersion(DOWNLOAD_CHECKED_CHANGE, Workflow.DEFAULT_VERSION, 1) != 1)
      return inventory;
    DownloadCheck check = new DownloadCheck(delivery.directory(), inventory);
    DirectoryFacts facts;
    try {
      facts = s3.checkDirectory(check.request());
    } catch (ActivityFailure f) {
      throw ErrorTypes.INVALID_INPUT.equals(ProcedureRun.causeType(f))
          ? run.invalidInput(ProcedureRun.message(f))
          : run.fail(f);
    }
    Map<String, String> refused = check.refused(facts);
    run.note(
        "download directory checked",
        facts.directory()
            + ": "
            + facts.usableBytes()
            + " bytes free for "
            + check.bytes()
            + (facts.caseInsensitive() ? "; names differing in case are one file" : ""));
    if (refused.isEmpty()) return inventory;
    List<ObjectInfo> kept = new ArrayList<>();
    for (ObjectInfo o : inventory) {
      String why = refused.get(o.key());
      if (why == null) {
        kept.add(o);
      } else {
        String detail = ErrorTypes.PATH_REFUSED + ": key '" + o.key() + "': " + why;
        outcomes.record(ObjectOutcome.of(o, ObjectOutcome.FAILED, detail + "; not restored"));
      }
    }
    Map.Entry<String, String> first = refused.entrySet().iterator().next();
    String note =
        String.format(
            "%d object(s) cannot be delivered under %s and are not restored, e.g. '%s': %s",
            refused.size(), facts.directory(), first.getKey(), first.getValue());
    run.warn(note);
    run.note("keys refused", note);
    return kept;
  }

  /**
   * A missing bucket or key, or no access, during listing means the request names the wrong thing.
   */
  private RuntimeException asInvalidInputWhenRequestIsWrong(
      GlacierRestoreRequest request, ActivityFailure f) {
    String type = ProcedureRun.causeType(f);
    if (ErrorTypes.NOT_FOUND.equals(type) || ErrorTypes.ACCESS_DENIED.equals(type)) {
      String field = request.keys() != null ? "keys" : "bucket";
      String what = ErrorTypes.NOT_FOUND.equals(type) ? "not found" : "access denied";
      return run.invalidInput(field + ": " + what + " (" + ProcedureRun.message(f) + ")");
    }
    return run.fail(f);
  }

  private void runBatches(GlacierRestoreRequest request, List<RestoreBatchPlan> batches) {
    int limit = request.maxConcurrentBatchesOrDefault();
    List<Promise<Void>> running = new ArrayList<>();
    run.waitFor("S3 restores (" + batches.size() + " batch(es))");
    for (RestoreBatchPlan batch : batches) {
      Workflow.await(() -> batchesRunning < limit);
      batchesRunning++;
      running.add(
          Async.procedure(
              () -> {
                try {
                  runBatch(request, batch);
                } finally {
                  batchesRunning--;
                }
              }));
    }
    Promise.allOf(running).get();
    run.waitFor(null);
  }

  private void runBatch(GlacierRestoreRequest request, RestoreBatchPlan batch) {
    try {
      if (batch.needsRestore()) {
        List<RestoreRequestOutcome> requested =
            s3Batch.requestRestores(
                new RestoreBatch(
                    request.bucket(),
                    batch.objects(),
                    batch.tier(),
                    request.daysOrDefault(),
                    request.fallbackAllowed(),
                    request.concurrencyPerBatchOrDefault()));
        restoresRequested += requested.size();
        noteFallbacks(batch, requested);
        run.note("restore requested", batch.describe() + ": " + countActions(requested));

        S3RestoreActivities poller =
            Workflow.newActivityStub(
                S3RestoreActivities.class,
                ActivityStubs.pollEvery(batch.pollInterval(), batch.maxWait()));
        List<ReadyObject> ready =
            poller.checkRestored(
                new ReadinessCheck(
                    request.bucket(),
                    batch.keys(),
                    batch.listPrefix(),
                    batch.startAfter(),
                    request.concurrencyPerBatchOrDefault()));
        restored += ready.size();
        run.note("restored", batch.describe());
        if (request.deliveryOrDefault().mode() == DeliveryMode.NONE) {
          Map<String, String> expiry = new LinkedHashMap<>();
          ready.forEach(r -> expiry.put(r.key(), r.expiry()));
          outcomes.recordAll(
              batch.objects(),
              ObjectOutcome.RESTORED,
              o -> "restored copy until " + expiry.get(o.key()));
          return;
        }
      } else if (!batch.deliverable()) {
        outcomes.recordAll(
            batch.objects(), ObjectOutcome.NOT_NEEDED, o -> o.storageClass() + ": readable as is");
        return;
      }
      List<ObjectOutcome> results =
          s3Batch.deliver(
              new DeliveryBatch(
                  request.bucket(),
                  batch.objects(),
                  request.deliveryOrDefault(),
                  request.concurrencyPerBatchOrDefault()));
      results.forEach(outcomes::record);
      run.note("delivered", batch.describe());
    } catch (ActivityFailure f) {
      String why = OutcomeTally.whyFailed(f);
      run.note("batch failed", batch.describe() + ": " + why);
      // Every step returns a whole batch or nothing, so no object of it has an outcome yet.
      outcomes.recordAll(batch.objects(), ObjectOutcome.FAILED, o -> why);
    }
  }

  private void noteFallbacks(RestoreBatchPlan batch, List<RestoreRequestOutcome> requested) {
    long fellBack = requested.stream().filter(r -> r.tierUsed() != batch.tier()).count();
    if (fellBack > 0) {
      run.warn(
          String.format(
              "%d object(s) of %s restored with tier %s instead of %s (Expedited unavailable)",
              fellBack, batch.describe(), RestoreTier.STANDARD, batch.tier()));
    }
  }

  private static String countActions(List<RestoreRequestOutcome> requested) {
    Map<String, Integer> n = new LinkedHashMap<>();
    requested.forEach(r -> n.merge(r.action(), 1, Integer::sum));
    return n.toString();
  }

  private GlacierRestoreResult result(String outcome, RestorePlanner planner) {
    List<ObjectOutcome> kept = outcomes.kept(MAX_OUTCOMES_IN_RESULT);
    return new GlacierRestoreResult(
        outcome,
        STEPS.plan(planner),
        cost,
        outcomes.counts(),
        kept,
        outcomes.size() - kept.size(),
        run.warnings(),
        run.approvals(),
        run.timeline());
  }
}
