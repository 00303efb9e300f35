package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.Printable;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dbops plan <procedure> …}: runs the procedure with {@code dryRun=true} under a throwaway
 * id. The run lists, validates and estimates with read-only calls and returns the steps and exact
 * calls it would make; it changes nothing.
 */
@Command(
    name = "plan",
    synopsisSubcommandLabel = "PROCEDURE",
    description = "Show what a procedure would do (dry run: read-only calls, changes nothing).",
    subcommands = {
      PlanCommand.GlacierRestore.class,
      PlanCommand.Upgrade.class,
      PlanCommand.UpgradeRollback.class,
      PlanCommand.BinlogCatchUp.class,
      PlanCommand.StagingRebuild.class,
      PlanCommand.AuroraMigration.class
    })
final class PlanCommand {

  @Command(
      name = "glacier-restore",
      mixinStandardHelpOptions = true,
      description = "Plan a Glacier / Deep Archive restore.")
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
          "Plan an in-place Aurora MySQL 5.6 -> 5.7 upgrade: validates, runs the"
              + " read-only SQL pre-checks, and lists the snapshot, ModifyDBCluster and verification"
              + " it would run.")
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
          "Plan a rollback: reads the snapshot (and its engine), the instance class offer and,"
              + " with --zone-id/--record-name, the zone and CNAME; lists the restore,"
              + " CreateDBInstance, approval and CNAME UPSERT it would run.")
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
          "Plan a binlog catch-up: checks the source read-only (log_bin, binlog_format, retention,"
              + " the replication user, its position) and lists the retention, user, replication"
              + " set-up, skip and cut-over SQL it would run (passwords by reference).")
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
          "Plan a staging rebuild: validates both accounts, the zone and record, the old cluster and"
              + " the masking script, and lists every snapshot, share, restore, masking, CNAME and retire call.")
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
          "Plan an RDS MySQL -> Aurora MySQL migration: validates the instance, its binary log, the"
              + " parameter groups, the instance class, the zone and record, and lists the"
              + " CreateDBCluster, promote and CNAME calls it would make.")
  static final class AuroraMigration extends Run {
    @Mixin AuroraMigrationFlags flags;

    @Override
    ProcedureFlags<?> flags() {
      return flags;
    }
  }

  abstract static class Run extends ProcedureCommand {
    static final Duration POLL = Duration.ofMillis(500);

    @Option(names = "--json", description = "print the dry run's whole result as JSON")
    boolean json;

    @Override
    protected int run() throws InterruptedException {
      Object request = procedure().dryRunOf(validRequest());
      String id =
          "plan/"
              + procedure().defaultWorkflowIdOf(request)
              + "/"
              + UUID.randomUUID().toString().substring(0, 8);
      PrintWriter out = out();
      try (Session session = connection.connect()) {
        Runs runs = session.runs();
        runs.start(procedure(), id, request);
        Follower.Outcome outcome =
            new Follower(runs, out, session.config().taskQueue(), POLL, false, null)
                .follow(id, Follower.Until.DONE);
        Runs.Closed closed = ((Follower.Finished) outcome).closed();
        if (closed.failure() != null) {
          if (ErrorTypes.INVALID_INPUT.equals(closed.failure().type())) {
            err()
                .println(
                    "invalid input (the dry run checked it): "
                        + Printable.escape(named(closed.failure().message())));
            return ExitCodes.INVALID_INPUT;
          }
          err().println("the dry run failed: " + named(closed).failure());
          return ExitCodes.FAILED;
        }
        if (json) {
          out.println(Render.json(closed.result()));
          return ExitCodes.OK;
        }
        printPlan(out, closed.result());
        return ExitCodes.OK;
      }
    }

    private void printPlan(PrintWriter out, JsonNode result) {
      out.println("plan for " + procedure().name() + " (dry run; nothing was changed):");
      int n = 0;
      for (JsonNode step : result.path("plan")) {
        out.println(String.format("  %2d. %s", ++n, Render.text(step, "step")));
        String call = Render.text(step, "call");
        if (call != null) out.println("      call:  " + call);
        String detail = Render.text(step, "detail");
        if (detail != null) out.println("      on:    " + detail);
      }
      String precheck = ProcedureViews.precheck(result.path("precheck"));
      if (!precheck.isEmpty()) {
        out.println(
            "pre-checks (read-only) on the writer, MySQL "
                + Render.text(result.path("precheck"), "version")
                + ": "
                + precheck);
        for (JsonNode xa : result.path("precheck").path("preparedXa")) {
          out.println("  prepared XA: " + xa.asText());
        }
        for (JsonNode ddl : result.path("precheck").path("runningDdl")) {
          out.println("  running DDL: " + ddl.asText());
        }
      }
      JsonNode cost = result.path("cost");
      if (cost.isObject()) {
        out.println(
            String.format(
                "estimated cost: $%.4f (%d requests, %d bytes)",
                cost.path("totalUsd").asDouble(),
                cost.path("requests").asLong(),
                cost.path("bytes").asLong()));
        for (JsonNode line : cost.path("lines")) {
          out.println("  " + line.asText());
        }
      }
      for (JsonNode w : result.path("warnings")) {
        out.println("warning: " + named(w.asText()));
      }
    }
  }
}
