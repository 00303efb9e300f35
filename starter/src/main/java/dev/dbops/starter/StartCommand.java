package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.workflows.common.Bounds;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.Printable;
import io.temporal.api.common.v1.WorkflowExecution;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dbops start <procedure> (--input FILE.json | flags) [--id ID] [--wait]}. */
@Command(
    name = "start",
    synopsisSubcommandLabel = "PROCEDURE",
    description =
        "Start a procedure. The request is checked locally first, then by the run"
            + " itself with read-only calls; input it refuses exits 2 and changes nothing.",
    subcommands = {
      StartCommand.GlacierRestore.class,
      StartCommand.Upgrade.class,
      StartCommand.UpgradeRollback.class,
      StartCommand.BinlogCatchUp.class,
      StartCommand.StagingRebuild.class,
      StartCommand.AuroraMigration.class
    })
final class StartCommand {

  @Command(
      name = "glacier-restore",
      mixinStandardHelpOptions = true,
      description = "Restore S3 objects from Glacier / Deep Archive, wait for them, deliver them.")
  static final class GlacierRestore extends Run {
    @Mixin GlacierRestoreFlags flags;

    @Override
    ProcedureFlags<?> flags() {
      return flags;
    }
  }

  @Command(
      name = "upgrade",
      mixinStandardHelpOptions = true,
      description =
          "In-place Aurora MySQL 5.6 -> 5.7 upgrade: validate, pre-check, approve,"
              + " snapshot, upgrade, verify. Failures name the pre-upgrade snapshot.")
  static final class Upgrade extends Run {
    @Mixin UpgradeFlags flags;

    @Override
    ProcedureFlags<?> flags() {
      return flags;
    }
  }

  @Command(
      name = "upgrade-rollback",
      mixinStandardHelpOptions = true,
      description =
          "Restore a pre-upgrade snapshot into a new cluster with instances; prints its"
              + " endpoints. With --zone-id/--record-name, repoints that CNAME to it after"
              + " approval. Creates resources only.")
  static final class UpgradeRollback extends Run {
    @Mixin UpgradeRollbackFlags flags;

    @Override
    ProcedureFlags<?> flags() {
      return flags;
    }
  }

  @Command(
      name = "binlog-catch-up",
      mixinStandardHelpOptions = true,
      description =
          "Replicate a source into a replica, skipping allowed errors (each journaled first),"
              + " ask a person about any other, then cut over on approval.")
  static final class BinlogCatchUp extends Run {
    @Mixin BinlogFlags flags;

    @Override
    ProcedureFlags<?> flags() {
      return flags;
    }
  }

  @Command(
      name = "staging-rebuild",
      mixinStandardHelpOptions = true,
      description =
          "Snapshot production, share the snapshot with the staging account, restore it there,"
              + " mask it (verified), repoint the staging CNAME, then retire the old staging cluster.")
  static final class StagingRebuild extends Run {
    @Mixin StagingFlags flags;

    @Override
    ProcedureFlags<?> flags() {
      return flags;
    }
  }

  @Command(
      name = "aurora-migration",
      mixinStandardHelpOptions = true,
      description =
          "RDS MySQL instance -> Aurora MySQL: create an Aurora read replica cluster, wait for lag 0,"
              + " cut over on approval (writes stopped), promote, switch the CNAME; the source is kept"
              + " and abort within the revert window puts the CNAME back.")
  static final class AuroraMigration extends Run {
    @Mixin AuroraMigrationFlags flags;

    @Override
    ProcedureFlags<?> flags() {
      return flags;
    }
  }

  /** Shared by every procedure's {@code start} subcommand. */
  abstract static class Run extends ProcedureCommand {
    /**
     * How long {@code start} waits for a worker to validate the run before handing over to watch.
     */
    static final Duration VALIDATION_WAIT = Duration.ofSeconds(30);

    static final Duration POLL = Duration.ofMillis(500);

    /** Temporal's default limit on a workflow id's length. */
    static final int MAX_ID = 1000;

    @Option(
        names = "--id",
        paramLabel = "ID",
        description =
            "workflow id (default: the procedure's business key, e.g. restore/<bucket>/<prefix>)")
    String id;

    @Option(
        names = "--wait",
        description = "follow the run to its end (or until it waits for a person: exit 4)")
    boolean waitForEnd;

    @Option(
        names = "--json",
        description =
            "print one JSON object at the end: {workflowId, runId, procedure,"
                + " taskQueue, outcome, phase, status | result, failure}; notices go to stderr")
    boolean json;

    @Override
    protected int run() throws InterruptedException {
      if (id != null && (Printable.needsEscape(id) || id.isBlank() || id.length() > MAX_ID)) {
        throw CliException.invalid(
            "--id: 1.."
                + MAX_ID
                + " characters, no control or format characters"
                + " (it is shown in every status, list and notice), was '"
                + Printable.escape(Bounds.cut(id, 80))
                + "'");
      }
      Object request = validRequest();
      String workflowId = id != null ? id : procedure().defaultWorkflowIdOf(request);
      PrintWriter out = out();
      try (Session session = connection.connect()) {
        Runs runs = session.runs();
        WorkflowExecution started = runs.start(procedure(), workflowId, request);
        if (!json) {
          out.println(
              "started "
                  + procedure().name()
                  + " "
                  + workflowId
                  + " (run "
                  + started.getRunId()
                  + ", task queue "
                  + session.config().taskQueue()
                  + ")");
          out.flush();
        }
        // With --json, stdout holds the one document: the narration is off and notices go to
        // stderr.
        Follower follower =
            new Follower(
                runs,
                Follower.text(json ? err() : out),
                session.config().taskQueue(),
                POLL,
                waitForEnd && !json,
                waitForEnd ? null : VALIDATION_WAIT);
        Follower.Outcome outcome =
            follower.follow(
                workflowId, waitForEnd ? Follower.Until.PERSON_OR_DONE : Follower.Until.VALIDATED);
        if (json) {
          com.fasterxml.jackson.databind.node.ObjectNode doc = Follower.json(workflowId, outcome);
          doc.put("runId", started.getRunId())
              .put("procedure", procedure().name())
              .put("taskQueue", session.config().taskQueue());
          out.println(Render.json(doc));
          return exitCode(outcome, workflowId);
        }
        return report(out, workflowId, outcome);
      }
    }

    /** The exit code of {@code --json}, as {@link #report} decides it for text. */
    private int exitCode(Follower.Outcome outcome, String workflowId) {
      return report(new PrintWriter(java.io.Writer.nullWriter()), workflowId, outcome);
    }

    private int report(PrintWriter out, String workflowId, Follower.Outcome outcome) {
      if (outcome instanceof Follower.Finished f) {
        Runs.Failure failure = f.closed().failure();
        if (failure != null && ErrorTypes.INVALID_INPUT.equals(failure.type())) {
          err()
              .println(
                  "invalid input (the run checked it and changed nothing): "
                      + Printable.escape(named(failure.message())));
          return ExitCodes.INVALID_INPUT;
        }
        return Follower.printFinished(out, named(f.closed()));
      }
      if (outcome instanceof Follower.WaitingForPerson w) {
        Follower.printWaiting(out, workflowId, w.status());
        // Asked to follow to the end, it did not get there: a script must not read this as done.
        return waitForEnd ? ExitCodes.WAITING_FOR_PERSON : ExitCodes.OK;
      }
      if (outcome instanceof Follower.Running r) {
        JsonNode status = r.status();
        String progress = ProcedureViews.progress(procedure().name(), status);
        out.println(
            "  ["
                + Render.text(status, "phase")
                + "]"
                + (progress.isEmpty() ? "" : " " + progress));
        for (JsonNode w : status.path("warnings")) {
          out.println("  warning: " + named(w.asText()));
        }
      } else {
        out.println("  no worker has picked the run up yet; it starts when one does");
      }
      out.println("  follow:  ./dbops watch " + Shell.quote(workflowId));
      out.println("  status:  ./dbops status " + Shell.quote(workflowId));
      return ExitCodes.OK;
    }
  }
}
