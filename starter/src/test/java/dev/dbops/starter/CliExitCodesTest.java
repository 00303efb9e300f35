package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * Exit codes that need no server: 2 (invalid input, refused before connecting) and 3 (Temporal
 * unreachable, whatever command meets it). 0, 1 and 4 need runs: devkit's {@code
 * CliExitCodesOnDevStackTest}.
 */
class CliExitCodesTest {
  /** A loopback port nobody listens on: bound, then released. */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void givenInvalidFlagValue_whenRun_thenExit2NamingTheFlagBeforeAnyConnection()
      throws IOException {
    Cli.Result r = Cli.run("list", "--limit", "0", "--address", "127.0.0.1:" + closedPort());
    assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
    assertTrue(r.err().startsWith("--limit:"), r.toString());
  }

  @Test
  void givenClosedLoopbackPort_whenCommandsConnect_thenExit3WithOneLineNamingTheAddress()
      throws IOException {
    String address = "127.0.0.1:" + closedPort();
    for (String[] args :
        new String[][] {
          {"status", "some/run", "--address", address},
          {"list", "--address", address},
          {"approve", "some/run", "--by", "alice", "--address", address},
          {
            "start",
            "glacier-restore",
            "--bucket",
            "exit-codes",
            "--prefix",
            "p/",
            "--tier",
            "STANDARD",
            "--wait",
            "--address",
            address
          }
        }) {
      Cli.Result r = Cli.run(args);
      assertEquals(ExitCodes.UNREACHABLE, r.exit(), args[0] + ": " + r);
      assertTrue(r.err().startsWith("cannot reach Temporal at " + address), args[0] + ": " + r);
      assertEquals(1, r.err().strip().lines().count(), args[0] + ": " + r);
    }
  }

  @Test
  void givenHelp_whenRead_thenFooterNamesEveryExitCode() {
    String help = Cli.run("--help").out();
    for (int code = ExitCodes.OK; code <= ExitCodes.WAITING_FOR_PERSON; code++) {
      assertTrue(help.contains(code + " "), "exit code " + code + " in\n" + help);
    }
    assertTrue(help.contains("3 Temporal unreachable") && help.contains("4 start --wait"), help);
  }
}
