package dev.dbops.starter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * A command of the lab ({@code dev}, {@code campaign}) or of the worker ({@code worker}) asked of
 * the thin CLI: it carries neither, so it says which jar runs the command and exits 2, having done
 * nothing. The {@code ./dbops} launcher sends these commands to that jar itself.
 */
@Command(description = "Not in this jar: says which one runs it.", hidden = true)
final class LabCommand extends DbopsCommand {
  /** The commands the thin CLI leaves to another jar. */
  static final List<String> NAMES = List.of("dev", "campaign", "worker");

  @Spec CommandSpec self;

  @Unmatched List<String> rest;

  static Map<String, Object> placeholders() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : NAMES) out.put(name, new LabCommand());
    return out;
  }

  @Override
  protected int run() {
    String name = self.name();
    String jar =
        name.equals("worker")
            ? "worker/target/dbops-worker.jar (the image's worker; or devkit/target/dbops-devkit.jar)"
            : "devkit/target/dbops-devkit.jar (the lab: ./mvnw -pl devkit -am -DskipTests package)";
    err()
        .println(
            "dbops "
                + name
                + " is not part of this jar (the thin CLI): run `./dbops "
                + name
                + "` from a checkout, which builds and uses "
                + jar);
    return ExitCodes.INVALID_INPUT;
  }
}
