package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The crash campaign in CI: {@code dbops campaign --runs 4 --seed 1}, one run of each procedure
 * (restore, upgrade, binlog catch-up, staging rebuild) with its {@code dbops worker} child process
 * killed by SIGKILL at the seed's moment (approval waits, the binlog monitor mid-journal, right
 * after an approve signal) and replaced. Every run must complete with no side effect taken twice
 * and its approval recorded once. It prints how long it took (about 2–4 minutes on two cores) but
 * does not fail on time: speed is the benchmarks' business, and a loaded CI machine is slower.
 */
@Tag("mariadb")
@Tag("process")
class CampaignSmokeTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES) // a hang guard, not a target
  void
      givenOneRunPerProcedure_whenTheWorkerIsKilledInEach_thenAllCompleteWithoutDuplicatedSideEffects() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = DevkitCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    long started = System.nanoTime();

    int exit =
        cli.execute(
            "campaign",
            "--runs",
            "4",
            "--seed",
            "1",
            "--work-dir",
            dir.resolve("campaign").toString());

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    String printed = out + "\n" + err;
    System.out.print(out); // the campaign's table in the build log
    assertTrue(printed.contains("4/4 completed, 0 duplicated side effects"), printed);
    assertEquals(ExitCodes.OK, exit, printed);
    assertTrue(printed.contains("4 planned kills"), printed);
    System.out.println("campaign smoke: 4 runs in " + took.toSeconds() + " s");
  }
}
