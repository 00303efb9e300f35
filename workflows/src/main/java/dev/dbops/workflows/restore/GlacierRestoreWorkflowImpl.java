package dev.dbops.workflows.restore;

import dev.dbops.workflows.common.ActivityStubs;
import dev.dbops.workflows.common.Approval;
import dev.dbops.workflows.common.ApprovalGate;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.PeopleNotifier;
import dev.dbops.workflows.common.PhaseHooks;
import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.Rejection;
import dev.dbops.workflows.common.Timeline;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DESIGN 4.4. Objects are handled in batches (one activity call each step), each batch a pipeline
 * request → wait → deliver, so a batch is delivered as soon as it is restored, and a 10,000-object
 * run costs a few hundred history events. Waiting is the poll activity's retry policy: nothing is
 * written to history while S3 works.
 */
public class GlacierRestoreWorkflowImpl implements GlacierRestoreWorkflow {
  /** Per-object outcomes kept in the result; history payloads are bounded (2 MB). */
  static final int MAX_OUTCOMES_IN_RESULT = 1000;

  static final int LIST_PAGE_SIZE = 1000;

  /** Change id: DOWNLOAD's directory and key paths are checked before any restore. */
  static final String DOWNLOAD_CHECKED_CHANGE = "download-directory-checked";

  private final S3RestoreActivities s3 =
      Workflow.newActivityStub(S3RestoreActivities.class, ActivityStubs.AWS_CALL);
  private final S3RestoreActivities s3Batch =
      Workflow.newActivityStub(S3RestoreActivities.class, ActivityStubs.AWS_BATCH);
  private final Timeline timeline = new Timeline();
  private final List<String> warnings = new ArrayList<>();
  private final PeopleNotifier people = new PeopleNotifier(RestorePhase.PROCEDURE, warnings);
  private final PhaseHooks hooks =
      new PhaseHooks(RestorePhase.PROCEDURE, people, timeline::add, warnings);
  private final List<ObjectOutcome> outcomes = new ArrayList<>();
  private ApprovalGate gate = new ApprovalGate(null, null);
  private String phase = RestorePhase.VALIDATING;
  private String waitingFor;
  private int objectsTotal;
  private int objectsToRestore;
  private long bytesToRestore;
  private int restoresRequested;
  private int restored;
  private int delivered;
  private int failed;
  private int batchesRunning;
  private CostEstimate cost;

  @Override
  public GlacierRestoreResult run(GlacierRestoreRequest request) {
    if (request == null) {
      throw invalid("request: missing");
    }
    gate = new ApprovalGate(request.approval(), request.requestedBy());
    step("started", "requested by " + request.requestedBy());
    List<String> problems = request.problems();
    if (!problems.isEmpty()) {
      phase = RestorePhase.FAILED;
      throw invalid(String.join("; ", problems));
    }

    phase = RestorePhase.LISTING;
    List<ObjectInfo> inventory = listInventory(request);
    objectsTotal = inventory.size();
    step("listed", objectsTotal + " object(s)");

    phase = RestorePhase.ESTIMATING;
    inventory = withoutUndeliverable(request, inventory);
    RestorePlanner planner = new RestorePlanner(request, inventory);
    warnings.addAll(planner.warnings());
    if (planner.refusal() != null) {
      phase = RestorePhase.FAILED;
      throw invalid(planner.refusal());
    }
    cost = planner.cost();
    objectsToRestore = planner.toRestore().size();
    bytesToRestore = planner.toRestore().stream().mapToLong(ObjectInfo::size).sum();
    step(
        "estimated",
        String.format(
            "%d to restore, %d bytes, $%.4f", objectsToRestore, bytesToRestore, cost.totalUsd()));

    if (request.isDryRun()) {
      phase = RestorePhase.COMPLETED;
      return result(request, GlacierRestoreResult.PLANNED, planner.plan());
    }

    if (planner.approvalNeeded()) {
      awaitApproval(
          "request restores ("
              + objectsToRestore
              + " objects, "
              + String.format("$%.2f", cost.totalUsd())
              + ")");
    }

    phase = RestorePhase.RESTORING;
    try {
      hooks.at("before-restore", gate, hookData(request));
      runBatches(request, planner.batches());
      hooks.at("after-delivery", gate, hookData(request));
    } catch (TemporalFailure f) {
      hooks.onFailure(hookData(request));
      throw f;
    }
    phase = RestorePhase.COMPLETED;
    step("completed", delivered + " delivered, " + failed + " failed");
    return result(
        request,
        failed > 0 ? GlacierRestoreResult.COMPLETED_WITH_FAILURES : GlacierRestoreResult.COMPLETED,
        planner.plan());
  }

  /** What hooks are told at every phase (as DBOPS_<KEY> variables and JSON). */
  private Map<String, String> hookData(GlacierRestoreRequest request) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("bucket", request.bucket());
    d.put("prefix", request.prefix());
    d.put("objects_to_restore", String.valueOf(objectsToRestore));
    d.put("delivered", String.valueOf(delivered));
    d.put("failed", String.valueOf(failed));
    return d;
  }

  @Override
  public void approve(Approval approval) {
    gate.approve(approval);
  }

  @Override
  public void reject(Rejection rejection) {
    gate.reject(rejection);
  }

  @Override
  public GlacierRestoreStatus status() {
    String waiting = gate.waitingStep() != null ? gate.waitingDescription() : waitingFor;
    return new GlacierRestoreStatus(
        phase,
        waiting,
        gate.approvers(),
        objectsTotal,
        objectsToRestore,
        restoresRequested,
        restored,
        delivered,
        failed,
        bytesToRestore,
        cost,
        List.copyOf(warnings),
        gate.records(),
        timeline.steps());
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
      phase = RestorePhase.FAILED;
      throw invalid(
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
   * objects) and every key is mapped onto its path ({@link DeliveryPaths}) before anything is
   * restored. A bad directory fails the run as invalid input; a key that cannot get a path of its
   * own (not canonical, or colliding with another) fails as an object and is not restored.
   */
  private List<ObjectInfo> withoutUndeliverable(
      GlacierRestoreRequest request, List<ObjectInfo> inventory) {
    Delivery delivery = request.deliveryOrDefault();
    if (delivery.mode() != DeliveryMode.DOWNLOAD) return inventory;
    if (Workflow.getVersion(DOWNLOAD_CHECKED_CHANGE, Workflow.DEFAULT_VERSION, 1) != 1)
      return inventory;
    List<String> keys = inventory.stream().map(ObjectInfo::key).toList();
    Map<String, String> refused = new LinkedHashMap<>(DeliveryPaths.undeliverable(keys, false));
    long bytes = 0;
    int files = 0;
    Set<String> subdirectories = new LinkedHashSet<>();
    for (ObjectInfo o : inventory) {
      if (refused.containsKey(o.key())) continue;
      String sub = DeliveryPaths.directoryOf(o.key());
      if (sub != null && subdirectories.size() < DirectoryCheck.MAX_SUBDIRECTORIES)
        subdirectories.add(sub);
      if (DeliveryPaths.isDirectoryMarker(o.key())) continue;
      bytes += o.size();
      files++;
    }
    DirectoryFacts facts;
    try {
      facts =
          s3.checkDirectory(
              new DirectoryCheck(delivery.directory(), bytes, files, List.copyOf(subdirectories)));
    } catch (ActivityFailure f) {
      phase = RestorePhase.FAILED;
      if (f.getCause() instanceof ApplicationFailure af
          && ErrorTypes.INVALID_INPUT.equals(af.getType())) {
        throw invalid(af.getOriginalMessage());
      }
      throw f;
    }
    if (facts.caseInsensitive())
      refused = new LinkedHashMap<>(DeliveryPaths.undeliverable(keys, true));
    Map<String, String> badDirs =
        facts.refusedSubdirectories() == null ? Map.of() : facts.refusedSubdirectories();
    for (String key : keys) {
      String sub = DeliveryPaths.directoryOf(key);
      String why = sub == null ? null : badDirs.get(sub);
      if (why != null) refused.putIfAbsent(key, why);
    }
    step(
        "download directory checked",
        facts.directory()
            + ": "
            + facts.usableBytes()
            + " bytes free for "
            + bytes
            + (facts.caseInsensitive() ? "; names differing in case are one file" : ""));
    if (refused.isEmpty()) return inventory;
    List<ObjectInfo> kept = new ArrayList<>();
    for (ObjectInfo o : inventory) {
      String why = refused.get(o.key());
      if (why == null) {
        kept.add(o);
      } else {
        record(
            new ObjectOutcome(
                o.key(),
                o.storageClass(),
                o.size(),
                ObjectOutcome.FAILED,
                ErrorTypes.PATH_REFUSED + ": key '" + o.key() + "': " + why + "; not restored"));
      }
    }
    Map.Entry<String, String> first = refused.entrySet().iterator().next();
    String note =
        refused.size()
            + " object(s) cannot be delivered under "
            + facts.directory()
            + " and are not restored, e.g. '"
            + first.getKey()
            + "': "
            + first.getValue();
    warnings.add(note);
    step("keys refused", note);
    return kept;
  }

  /**
   * A missing bucket or key, or no access, during listing means the request names the wrong thing.
   */
  private RuntimeException asInvalidInputWhenRequestIsWrong(
      GlacierRestoreRequest request, ActivityFailure f) {
    phase = RestorePhase.FAILED;
    if (f.getCause() instanceof ApplicationFailure af
        && (ErrorTypes.NOT_FOUND.equals(af.getType())
            || ErrorTypes.ACCESS_DENIED.equals(af.getType()))) {
      String field = request.keys() != null ? "keys" : "bucket";
      String what = ErrorTypes.NOT_FOUND.equals(af.getType()) ? "not found" : "access denied";
      return invalid(field + ": " + what + " (" + af.getOriginalMessage() + ")");
    }
    return f;
  }

  private void awaitApproval(String what) {
    phase = RestorePhase.AWAITING_APPROVAL;
    try {
      people.awaitApproval(gate, what);
      step("approved", what);
    } catch (ApplicationFailure f) {
      phase = RestorePhase.FAILED;
      step("not approved", f.getOriginalMessage());
      throw f;
    }
  }

  private void runBatches(GlacierRestoreRequest request, List<RestoreBatchPlan> batches) {
    int limit = request.maxConcurrentBatchesOrDefault();
    List<Promise<Void>> running = new ArrayList<>();
    waitingFor = "S3 restores (" + batches.size() + " batch(es))";
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
    waitingFor = null;
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
        step("restore requested", batch.describe() + ": " + countActions(requested));

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
        step("restored", batch.describe());
        if (request.deliveryOrDefault().mode() == DeliveryMode.NONE) {
          Map<String, String> expiry = new LinkedHashMap<>();
          ready.forEach(r -> expiry.put(r.key(), r.expiry()));
          for (ObjectInfo o : batch.objects()) {
            record(
                new ObjectOutcome(
                    o.key(),
                    o.storageClass(),
                    o.size(),
                    ObjectOutcome.RESTORED,
                    "restored copy until " + expiry.get(o.key())));
          }
          return;
        }
      } else if (!batch.deliverable()) {
        for (ObjectInfo o : batch.objects()) {
          record(
              new ObjectOutcome(
                  o.key(),
                  o.storageClass(),
                  o.size(),
                  ObjectOutcome.NOT_NEEDED,
                  o.storageClass() + ": readable as is"));
        }
        return;
      }
      List<ObjectOutcome> results =
          s3Batch.deliver(
              new DeliveryBatch(
                  request.bucket(),
                  batch.objects(),
                  request.deliveryOrDefault(),
                  request.concurrencyPerBatchOrDefault()));
      results.forEach(this::record);
      step("delivered", batch.describe());
    } catch (ActivityFailure f) {
      String why = describe(f);
      step("batch failed", batch.describe() + ": " + why);
      // Every step returns a whole batch or nothing, so no object of it has an outcome yet.
      for (ObjectInfo o : batch.objects()) {
        record(new ObjectOutcome(o.key(), o.storageClass(), o.size(), ObjectOutcome.FAILED, why));
      }
    }
  }

  /**
   * A poll that runs out of time surfaces either as a timeout or, when the next retry would pass
   * the deadline, as its last NOT_READY failure; both mean the wait limit was reached.
   */
  private static String describe(ActivityFailure f) {
    if (f.getCause() instanceof TimeoutFailure
        || (f.getCause() instanceof ApplicationFailure na
            && ErrorTypes.NOT_READY.equals(na.getType()))) {
      return ErrorTypes.WAIT_TIMEOUT
          + ": not ready within the wait limit ("
          + lastMessage(f.getCause())
          + ")";
    }
    if (f.getCause() instanceof ApplicationFailure af) {
      return af.getType() + ": " + af.getOriginalMessage();
    }
    return f.getCause() == null ? f.getMessage() : f.getCause().getMessage();
  }

  private static String lastMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) c = c.getCause();
    return c instanceof ApplicationFailure af ? af.getOriginalMessage() : c.getMessage();
  }

  private void noteFallbacks(RestoreBatchPlan batch, List<RestoreRequestOutcome> requested) {
    long fellBack = requested.stream().filter(r -> r.tierUsed() != batch.tier()).count();
    if (fellBack > 0) {
      warnings.add(
          fellBack
              + " object(s) of "
              + batch.describe()
              + " restored with tier "
              + RestoreTier.STANDARD
              + " instead of "
              + batch.tier()
              + " (Expedited unavailable)");
    }
  }

  private static String countActions(List<RestoreRequestOutcome> requested) {
    Map<String, Integer> n = new LinkedHashMap<>();
    requested.forEach(r -> n.merge(r.action(), 1, Integer::sum));
    return n.toString();
  }

  private void record(ObjectOutcome o) {
    outcomes.add(o);
    if (o.failed()) {
      failed++;
    } else if (ObjectOutcome.DELIVERED.equals(o.outcome())) {
      delivered++;
    }
  }

  private GlacierRestoreResult result(
      GlacierRestoreRequest request, String outcome, List<PlanStep> plan) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    outcomes.forEach(o -> counts.merge(o.outcome(), 1, Integer::sum));
    List<ObjectOutcome> kept = new ArrayList<>();
    outcomes.stream().filter(ObjectOutcome::failed).forEach(kept::add);
    for (ObjectOutcome o : outcomes) {
      if (kept.size() >= MAX_OUTCOMES_IN_RESULT) break;
      if (!o.failed()) kept.add(o);
    }
    return new GlacierRestoreResult(
        outcome,
        plan,
        cost,
        counts,
        kept,
        outcomes.size() - kept.size(),
        List.copyOf(warnings),
        gate.records(),
        timeline.steps());
  }

  private void step(String what, String detail) {
    timeline.add(what, detail);
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.INVALID_INPUT);
  }
}
