package dev.dbops.starter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.binlog.JournalExportWorkflow;
import dev.dbops.workflows.binlog.JournalPageRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A binlog catch-up's whole journal, oldest first, for every view of it ({@code dbops journal},
 * {@code dbops report}): the entries the run keeps, and when it journaled more, every entry read
 * from the replica's journal table a page at a time by a {@link JournalExportWorkflow} on the run's
 * task queue (the worker reaches the replica; this host may not). Complete, or it says exactly what
 * it left out and why ({@link Gap}): a replica that is gone, no worker, a page that does not come —
 * each page is waited for at most {@link #PAGE_WAIT}, and a page's workflow this command stops
 * waiting for is terminated, so none outlives the command.
 */
final class JournalExport {
  /** Entries per page: as many as a run keeps, a payload size its status already proves. */
  static final int PAGE = 200;

  /** The longest wait for one page: its workflow's own run timeout, and a little for the answer. */
  static final Duration PAGE_WAIT = JournalExportWorkflow.RUN_TIMEOUT.plusSeconds(2);

  private JournalExport() {}

  /**
   * The entries that could not be read.
   *
   * @param missing how many
   * @param journaled every entry the run journaled
   * @param afterId they come after this id (0: from the start), where known: after the last one
   *     read
   * @param beforeId and before this one, the oldest the run keeps (0 when it keeps none); not shown
   *     when it is not after {@code afterId} (entries missing from the table: where is unknown)
   * @param why what could not be read, and why
   */
  record Gap(int missing, int journaled, long afterId, long beforeId, String why) {
    /** One line for a person: what is missing, why, and how to get it. */
    String line(String workflowId) {
      String ids =
          beforeId > afterId
              ? " (ids after " + afterId + " and before " + beforeId + ")"
              : beforeId == 0 ? " (after id " + afterId + ")" : "";
      return missing
          + " of the "
          + journaled
          + " journal entries of run '"
          + workflowId
          + "'"
          + ids
          + " were not read: "
          + why.replaceAll("\\s+", " ")
          + "; the rest are shown. All entries: `./dbops journal "
          + Shell.quote(workflowId)
          + " --format jsonl` once the replica's journal table can be read.";
    }
  }

  /** A page that was not read, and why. */
  private static final class Unread extends Exception {
    Unread(String why) {
      super(why, null, false, false);
    }
  }

  /**
   * Feeds every entry of the run's journal to {@code sink}, oldest first, each once.
   *
   * @param holder the run's result, or its status (a failed run's, or an open run's)
   * @return what could not be read; empty when every entry was fed
   */
  static Optional<Gap> read(
      Session session, Runs.RunInfo info, JsonNode holder, Consumer<JsonNode> sink) {
    JsonNode kept = holder.path("journal");
    // Runs from before the count (no "journaled") kept every entry.
    if (!holder.hasNonNull("journaled") || holder.path("journaled").asInt() <= kept.size()) {
      kept.forEach(sink);
      return Optional.empty();
    }
    int journaled = holder.path("journaled").asInt();
    long after = 0;
    int fed = 0;
    try {
      JsonNode targets =
          holder.has("replicaTarget")
              ? holder
              : session
                  .runs()
                  .status(info.workflowId())
                  .orElseThrow(
                      () ->
                          new Unread(
                              "a worker reads them from the replica, and none answered the run's status"
                                  + " query; is `./dbops worker` running for task queue '"
                                  + info.taskQueue()
                                  + "'?"));
      DbTarget replica = target(targets, "replicaTarget");
      DbTarget source = target(targets, "sourceTarget");
      boolean more = true;
      while (more) {
        JsonNode page =
            page(
                session,
                info,
                new JournalPageRequest(replica, source, info.workflowId(), after, PAGE),
                "the replica " + replica.host() + ":" + replica.port());
        for (JsonNode e : page.path("entries")) {
          sink.accept(e);
          after = e.path("id").asLong();
          fed++;
        }
        more = page.path("more").asBoolean() && !page.path("entries").isEmpty();
      }
      // The table had fewer of the run's entries than it journaled (dropped, pruned, another
      // replica).
      if (fed < journaled) {
        throw new Unread(
            "the journal table on the replica "
                + replica.host()
                + ":"
                + replica.port()
                + " holds "
                + fed
                + " of them");
      }
      return Optional.empty();
    } catch (Unread u) {
      long firstKept = kept.isEmpty() ? 0 : kept.get(0).path("id").asLong();
      for (JsonNode e : kept) {
        if (e.path("id").asLong() > after) {
          sink.accept(e);
          fed++;
        }
      }
      int missing = journaled - fed;
      return missing > 0
          ? Optional.of(new Gap(missing, journaled, after, firstKept, u.getMessage()))
          : Optional.empty();
    }
  }

  /** One page from a {@link JournalExportWorkflow}, waited for at most {@link #PAGE_WAIT}. */
  private static JsonNode page(
      Session session, Runs.RunInfo info, JournalPageRequest request, String where) throws Unread {
    String helperId =
        "journal-export/" + info.workflowId() + "/" + request.afterId() + "/" + UUID.randomUUID();
    JournalExportWorkflow export =
        session
            .client()
            .newWorkflowStub(
                JournalExportWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(helperId)
                    .setTaskQueue(info.taskQueue())
                    .setWorkflowRunTimeout(JournalExportWorkflow.RUN_TIMEOUT)
                    .setWorkflowExecutionTimeout(JournalExportWorkflow.RUN_TIMEOUT)
                    .build());
    WorkflowClient.start(export::run, request);
    WorkflowStub stub = WorkflowStub.fromTyped(export);
    // Interrupted (Ctrl-C), the command takes its helper with it.
    Thread stop = new Thread(() -> terminate(stub, "dbops was interrupted"));
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      // As JSON, so a page prints exactly as the entries of status() do.
      return stub.getResult(PAGE_WAIT.toMillis(), TimeUnit.MILLISECONDS, JsonNode.class);
    } catch (TimeoutException e) {
      terminate(stub, "dbops stopped waiting for the page after " + PAGE_WAIT.toSeconds() + " s");
      throw new Unread(noAnswer(where, helperId, info, "was terminated"));
    } catch (WorkflowFailedException e) {
      // The export itself timed out: no worker ran it (its page activity ends sooner on its own).
      if (e.getCause() instanceof TimeoutFailure)
        throw new Unread(noAnswer(where, helperId, info, "timed out"));
      throw new Unread("reading " + where + " failed: " + why(e.getCause()));
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs (or ran) anyway.
      }
    }
  }

  private static String noAnswer(String where, String helperId, Runs.RunInfo info, String ended) {
    return "no worker read "
        + where
        + " within "
        + JournalExportWorkflow.RUN_TIMEOUT.toSeconds()
        + " s (the export "
        + helperId
        + " on task queue '"
        + info.taskQueue()
        + "' "
        + ended
        + "; is a worker of this version running?)";
  }

  private static void terminate(WorkflowStub stub, String reason) {
    try {
      stub.terminate(reason);
    } catch (WorkflowException closed) {
      // It ended on its own meanwhile.
    }
  }

  /**
   * The failure's own words: a timeout with the last attempt's error, else the activity's typed
   * error.
   */
  static String why(Throwable failure) {
    String timedOut = null;
    ApplicationFailure last = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutFailure tf && timedOut == null) {
        timedOut =
            "timed out ("
                + tf.getTimeoutType().name().replace("TIMEOUT_TYPE_", "").toLowerCase()
                + ")";
      }
      // The outermost is the activity's own typed failure; those under it are its Java causes.
      if (t instanceof ApplicationFailure af && last == null) last = af;
    }
    String error = last == null ? null : last.getType() + ": " + last.getOriginalMessage();
    if (timedOut != null) return error == null ? timedOut : timedOut + "; last attempt: " + error;
    return error != null ? error : Runs.failure(failure).toString();
  }

  private static DbTarget target(JsonNode status, String field) throws Unread {
    JsonNode t = status.path(field);
    if (!t.isObject()) throw new Unread("the run does not say its " + field);
    try {
      return JournalCommand.COMPACT.treeToValue(t, DbTarget.class);
    } catch (JsonProcessingException e) {
      throw new Unread("the run's " + field + " is unreadable: " + e.getOriginalMessage());
    }
  }
}
