package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One open run per target whatever {@code --id} says: a second start on a target an open run acts
 * on exits 2 naming that run and changes nothing; once that run ends the target is free again.
 */
@DevStackTest
class CliOneRunPerTargetTest {
  static final String BUCKET = "cli-one-run-per-target";

  @BeforeAll
  static void seed() {
    var s3 = DevStack.sandbox().s3();
    s3.createBucket(BUCKET);
    s3.putObject(BUCKET, "held/x.csv", "x".getBytes(), "GLACIER");
    s3.putObject(BUCKET, "dir/y.csv", "y".getBytes(), "GLACIER");
    s3.putObject(BUCKET, "other/z.csv", "z".getBytes(), "GLACIER");
  }

  private static Cli.Result expect(int exit, Cli.Result r) {
    assertEquals(exit, r.exit(), r.toString());
    return r;
  }

  private static Cli.Result gated(String prefix, String id, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "start",
                "glacier-restore",
                "--bucket",
                BUCKET,
                "--prefix",
                prefix,
                "--tier",
                "EXPEDITED",
                "--poll-interval",
                "1s",
                "--require-approval",
                "--approver",
                "alice",
                "--requested-by",
                "bob",
                "--id",
                id));
    args.addAll(List.of(more));
    return DevStack.cli(args.toArray(String[]::new));
  }

  @Test
  void givenAnOpenRestore_whenTheSameObjectsAreStartedUnderAnotherId_thenExit2NamingTheOpenRun()
      throws Exception {
    expect(0, gated("held/", "cli/target-first"));

    Cli.Result second = expect(2, gated("held/", "cli/target-second"));
    assertTrue(
        second.err().contains("s3/" + BUCKET + "/held/ has an open run, cli/target-first"),
        second.toString());
    assertTrue(second.err().contains("./dbops watch cli/target-first"), second.toString());
    expect(2, DevStack.cli("status", "cli/target-second")); // never started
    assertEquals(0, DevStack.restoreCalls(BUCKET).size(), "nothing restored while both wait");

    expect(0, DevStack.cli("cancel", "cli/target-first"));
    // At once: the first run has ended; its lock may not have seen that yet, and the start waits.
    Cli.Result third = expect(0, gated("held/", "cli/target-third"));
    assertTrue(third.out().contains("started glacier-restore cli/target-third"), third.toString());
    expect(0, DevStack.cli("cancel", "cli/target-third"));
  }

  @Test
  void givenAnOpenRunDownloadingIntoADirectory_whenAnotherRunNamesItSpelledOtherwise_thenExit2(
      @TempDir Path dir) throws Exception {
    Path into = Files.createDirectories(dir.resolve("into"));
    expect(0, gated("dir/", "cli/dir-first", "--download-dir", into.toString()));

    // Another prefix, another id, the same directory written another way.
    Cli.Result second =
        expect(2, gated("other/", "cli/dir-second", "--download-dir", dir + "//into/./"));
    assertTrue(second.err().contains("has an open run, cli/dir-first"), second.toString());
    expect(2, DevStack.cli("status", "cli/dir-second"));

    expect(0, DevStack.cli("cancel", "cli/dir-first"));
  }
}
