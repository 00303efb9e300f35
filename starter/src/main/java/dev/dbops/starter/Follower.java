package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbops.workflows.catalog.Phases;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.Printable;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * Follows a run by polling the server (is it still open?) and the run's {@code status()} query,
 * narrating what changed: phase and progress, new timeline steps, warnings and approvals. It stops
 * when the run has done what the caller waits for.
 */
final class Follower {
  /** What to wait for. */
  enum Until {
    /** The run has left VALIDATING / LISTING / ESTIMATING (or finished). */
    VALIDATED,
    /** The run waits for a person, or finished. */
    PERSON_OR_DONE,
    /** The run finished. */
    DONE
  }

  sealed interface Outcome permits Finished, WaitingForPerson, Running, NoAnswer {}

  record Finished(Runs.Closed closed) implements Outcome {}

  record WaitingForPerson(JsonNode status) implements Outcome {}

  /** Past validation and busy (with {@link Until#VALIDATED}). */
  record Running(JsonNode status) implements Outcome {}

  /** No worker answered within the give-up time. */
  record NoAnswer() implements Outcome {}

  /** Say so once when no worker has answered for this long. */
  static final Duration NO_WORKER_HINT = Duration.ofSeconds(10);

  /**
   * Where a follow-up's events go: text lines for people ({@link #text}) or one JSON object per
   * event ({@link #jsonLines}). The events are the same; only their rendering differs.
   */
  interface Narration {
    /** A new timeline step. */
    void step(JsonNode step);

    void warning(String text);

    /** A new approval / decision record of the run. */
    void record(JsonNode record);

    /** The phase line changed. */
    void progress(String phase, String progress, String waitingFor);

    /** Something about the follow-up itself (no worker answers). */
    void notice(String text);
  }

  /** The narration people read: indented lines. */
  static Narration text(PrintWriter out) {
    return new Narration() {
      @Override
      public void step(JsonNode step) {
        String detail = Render.text(step, "detail");
        out.println(
            "  "
                + Render.time(Render.text(step, "at"))
                + "  "
                + Render.text(step, "step")
                + (detail == null || detail.isEmpty() ? "" : ": " + detail));
      }

      @Override
      public void warning(String text) {
        out.println("  warning: " + text);
      }

      @Override
      public void record(JsonNode a) {
        String comment = Render.text(a, "comment");
        out.println(
            "  "
                + Render.text(a, "outcome")
                + " by "
                + Render.text(a, "by")
                + (comment == null ? "" : ": " + comment));
      }

      @Override
      public void progress(String phase, String progress, String waitingFor) {
        out.println(
            Render.cut(
                String.format(
                    "  [%s]%s%s",
                    Printable.escape(phase),
                    progress.isEmpty() ? "" : " " + progress,
                    waitingFor == null ? "" : " — waiting for " + Printable.escape(waitingFor))));
      }

      @Override
      public void notice(String text) {
        out.println("  (" + text + ")");
      }
    };
  }

  /** Newline-delimited JSON: one object per event, {@code event} naming its kind. */
  static Narration jsonLines(PrintWriter out) {
    return new Narration() {
      private void emit(ObjectNode event) {
        out.println(Render.jsonLine(event));
      }

      private ObjectNode event(String kind) {
        return Render.MAPPER.createObjectNode().put("event", kind);
      }

      @Override
      public void step(JsonNode step) {
        emit(
            event("step")
                .setAll(step.isObject() ? (ObjectNode) step : Render.MAPPER.createObjectNode()));
      }

      @Override
      public void warning(String text) {
        emit(event("warning").put("text", text));
      }

      @Override
      public void record(JsonNode record) {
        emit((ObjectNode) event("record").set("record", record));
      }

      @Override
      public void progress(String phase, String progress, String waitingFor) {
        emit(
            event("phase")
                .put("phase", phase)
                .put("progress", progress)
                .put("waitingFor", waitingFor));
      }

      @Override
      public void notice(String text) {
        emit(event("notice").put("text", text));
      }
    };
  }

  private final Runs runs;
  private final Narration narration;
  private final Duration interval;
  private final boolean narrate;
  private final Duration giveUpWithoutAnswer;
  private final String taskQueue;

  private int timelineSeen;
  private int warningsSeen;
  private int approvalsSeen;
  private String lastLine;

  /**
   * @param narrate print changes as they happen (watch); otherwise stay quiet
   * @param giveUpWithoutAnswer stop with {@link NoAnswer} after this long without a status answer;
   *     null waits for ever
   */
  Follower(
      Runs runs,
      PrintWriter out,
      String taskQueue,
      Duration interval,
      boolean narrate,
      Duration giveUpWithoutAnswer) {
    this(runs, text(out), taskQueue, interval, narrate, giveUpWithoutAnswer);
  }

  /** As above, its events told through {@code narration}. */
  Follower(
      Runs runs,
      Narration narration,
      String taskQueue,
      Duration interval,
      boolean narrate,
      Duration giveUpWithoutAnswer) {
    this.runs = runs;
    this.narration = narration;
    this.taskQueue = taskQueue;
    this.interval = interval;
    this.narrate = narrate;
    this.giveUpWithoutAnswer = giveUpWithoutAnswer;
  }

  Outcome follow(String id, Until until) throws InterruptedException {
    long lastAnswer = System.nanoTime();
    boolean hinted = false;
    while (true) {
      Runs.RunInfo info = runs.describe(id);
      if (!info.running()) {
        Runs.Closed closed = runs.awaitClosed(id);
        if (narrate && closed.result() != null) {
          narrateLists(closed.result());
        }
        return new Finished(closed);
      }
      Optional<JsonNode> answer = runs.status(id);
      if (answer.isPresent()) {
        lastAnswer = System.nanoTime();
        JsonNode status = answer.get();
        if (narrate) narrate(info.procedureName(), status);
        String phase = Render.text(status, "phase");
        if (until != Until.DONE && Phases.WAITING_FOR_PERSON.contains(phase)) {
          return new WaitingForPerson(status);
        }
        boolean validating = info.procedure().map(p -> p.isValidating(phase)).orElse(phase == null);
        if (until == Until.VALIDATED && !validating && !Phases.TERMINAL.contains(phase)) {
          return new Running(status);
        }
      } else {
        Duration silent = Duration.ofNanos(System.nanoTime() - lastAnswer);
        if (!hinted && silent.compareTo(NO_WORKER_HINT) >= 0) {
          hinted = true;
          narration.notice(
              info.workflowTaskAttempt() > 1
                  ? "a worker runs this run's code and fails: workflow task attempt "
                      + info.workflowTaskAttempt()
                      + "; see the worker log — non-determinism after a deployment? still waiting"
                  : "no worker has answered for "
                      + silent.toSeconds()
                      + "s — is `./dbops worker`"
                      + " running on task queue '"
                      + taskQueue
                      + "'? still waiting");
        }
        if (giveUpWithoutAnswer != null && silent.compareTo(giveUpWithoutAnswer) >= 0) {
          return new NoAnswer();
        }
      }
      Thread.sleep(interval.toMillis());
    }
  }

  private void narrate(String procedure, JsonNode status) {
    narrateLists(status);
    String phase = Render.raw(status, "phase");
    String progress = ProcedureViews.progress(procedure, status);
    String waiting = Render.raw(status, "waitingFor");
    String line = phase + "\n" + progress + "\n" + waiting;
    if (!line.equals(lastLine)) {
      narration.progress(phase, progress, waiting);
      lastLine = line;
    }
  }

  /** New timeline steps, warnings and approval records since the last look. */
  private void narrateLists(JsonNode node) {
    JsonNode timeline = node.path("timeline");
    for (int i = timelineSeen; i < timeline.size(); i++) {
      narration.step(timeline.get(i));
    }
    timelineSeen = Math.max(timelineSeen, timeline.size());
    JsonNode warnings = node.path("warnings");
    for (int i = warningsSeen; i < warnings.size(); i++) {
      narration.warning(warnings.get(i).asText());
    }
    warningsSeen = Math.max(warningsSeen, warnings.size());
    JsonNode approvals = SignalConfirmation.records(node);
    for (int i = approvalsSeen; i < approvals.size(); i++) {
      narration.record(approvals.get(i));
    }
    approvalsSeen = Math.max(approvalsSeen, approvals.size());
  }

  /**
   * Where a follow-up ended, as one JSON object ({@code start --json}, the last event of {@code
   * watch --json}): {@code outcome} is the run's outcome when it finished, else WAITING_FOR_PERSON,
   * RUNNING (past validation) or NO_WORKER_ANSWER.
   */
  static ObjectNode json(String id, Outcome outcome) {
    ObjectNode doc = Render.MAPPER.createObjectNode().put("workflowId", id);
    if (outcome instanceof Finished f) {
      Runs.RunInfo info = f.closed().info();
      doc.put("runId", info.runId())
          .put("procedure", info.procedureName())
          .put("state", info.statusName())
          .put("outcome", f.closed().outcome());
      doc.set("result", f.closed().result());
      Runs.Failure failure = f.closed().failure();
      if (failure != null) {
        doc.putObject("failure").put("type", failure.type()).put("message", failure.message());
      }
    } else if (outcome instanceof WaitingForPerson w) {
      doc.put("state", "RUNNING")
          .put("outcome", "WAITING_FOR_PERSON")
          .put("phase", Render.raw(w.status(), "phase"))
          .put("waitingFor", Render.raw(w.status(), "waitingFor"));
      doc.set("status", w.status());
    } else if (outcome instanceof Running r) {
      doc.put("state", "RUNNING")
          .put("outcome", "RUNNING")
          .put("phase", Render.raw(r.status(), "phase"));
      doc.set("status", r.status());
    } else {
      doc.put("outcome", "NO_WORKER_ANSWER");
    }
    return doc;
  }

  /** What a person can do about a run that waits for them. */
  static void printWaiting(PrintWriter out, String id, JsonNode status) {
    String waiting = Render.text(status, "waitingFor");
    out.println("waiting for " + (waiting == null ? "approval" : waiting));
    if (Procedures.BINLOG_AWAITING_DECISION.equals(Render.text(status, "phase"))) {
      out.println(
          "  decide:  ./dbops decide "
              + Shell.quote(id)
              + " --action skip|retry|abort --by <name> --reason <why>");
      out.println("  journal: ./dbops journal " + Shell.quote(id));
      return;
    }
    out.println("  approve: ./dbops approve " + Shell.quote(id) + " --by <name> [--comment <why>]");
    out.println("  reject:  ./dbops reject " + Shell.quote(id) + " --by <name> --reason <why>");
  }

  /** The end of a run, for people; returns the exit code it deserves. */
  static int printFinished(PrintWriter out, Runs.Closed closed) {
    String id = closed.info().workflowId();
    if (closed.failure() != null) {
      out.println("FAILED " + id + ": " + closed.failure());
      return exitCode(closed);
    }
    out.println(closed.outcome() + " " + id);
    if (closed.result() != null) {
      Render.outline(out, withoutTimeline(closed.result()), "  ");
    }
    return exitCode(closed);
  }

  /** The exit code a finished run deserves, whatever prints it. */
  static int exitCode(Runs.Closed closed) {
    return closed.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  /** The timeline was narrated already (or is in {@code --json}); the summary skips it. */
  private static JsonNode withoutTimeline(JsonNode result) {
    if (!result.isObject()) return result;
    com.fasterxml.jackson.databind.node.ObjectNode copy =
        ((com.fasterxml.jackson.databind.node.ObjectNode) result).deepCopy();
    copy.remove("timeline");
    copy.remove("plan");
    return copy;
  }
}
