package dev.dbops.starter;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * The lab's {@code dbops}: every command of the thin CLI plus the ones that need the lab — {@code
 * dev} (test server, sandbox, MariaDB, demos), {@code campaign} (the crash campaign) and {@code
 * worker} (the production worker with the CLI's connection flags). The {@code ./dbops} launcher
 * runs this jar for those commands and the thin CLI for the rest.
 */
public final class DevkitCli {
  private DevkitCli() {}

  public static void main(String[] args) {
    System.exit(DbopsCli.commandLine(labCommands(), args).execute(args));
  }

  /** The lab's commands, in place of the thin CLI's placeholders. */
  static Map<String, Object> labCommands() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dev", new DevCommand());
    out.put("campaign", new CampaignCommand());
    out.put("worker", new WorkerCommand());
    return out;
  }

  public static CommandLine commandLine() {
    return DbopsCli.commandLine(labCommands());
  }

  static CommandLine tree() {
    return DbopsCli.tree(labCommands());
  }
}
