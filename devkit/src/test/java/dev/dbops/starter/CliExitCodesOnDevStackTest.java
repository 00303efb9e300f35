package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exit codes that need runs: 0 (done), 1 (the procedure failed), 4 ({@code start --wait} or
 * {@code watch} stopped because the run waits for a person). 2 and 3 need no server: starter's
 * {@code CliExitCodesTest}.
 */
@DevStackTest
class CliExitCodesOnDevStackTest {
  static final String BUCKET = "cli-exit-codes";

  @BeforeAll
  static void seed() {
    var s3 = DevStack.sandbox().s3();
    s3.createBucket(BUCKET);
    for (String prefix : new String[] {"done/", "failed/", "gated/", "watched/"}) {
      s3.putObject(BUCKET, prefix + "x.csv", "x".getBytes(), "GLACIER");
    }
  }

  private static Cli.Result expect(int exit, Cli.Result r) {
    assertEquals(exit, r.exit(), r.toString());
    return r;
  }

  private static String[] restore(String prefix, String... more) {
    String[] base = {
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
      "--id",
      "exit/" + prefix
    };
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void givenRunThatCompletes_whenStartWait_thenExit0() {
    Cli.Result r = expect(ExitCodes.OK, DevStack.cli(restore("done/", "--wait")));
    assertTrue(r.out().contains("COMPLETED exit/done/"), r.toString());
  }

  @Test
  void givenRunThatIsRejected_whenWatched_thenExit1() {
    expect(
        ExitCodes.OK,
        DevStack.cli(
            restore(
                "failed/", "--require-approval", "--approver", "alice", "--requested-by", "bob")));
    expect(
        ExitCodes.OK,
        DevStack.cli("reject", "exit/failed/", "--by", "alice", "--reason", "not today"));
    Cli.Result r = expect(ExitCodes.FAILED, DevStack.cli("watch", "exit/failed/"));
    assertTrue(r.out().contains("FAILED exit/failed/: Rejected"), r.toString());
  }

  @Test
  void givenRunThatStopsForApproval_whenStartWait_thenExit4WithTheCommandThatAnswersIt() {
    Cli.Result r =
        expect(
            ExitCodes.WAITING_FOR_PERSON,
            DevStack.cli(
                restore(
                    "gated/",
                    "--require-approval",
                    "--approver",
                    "alice",
                    "--requested-by",
                    "bob",
                    "--wait")));
    assertTrue(r.out().contains("./dbops approve exit/gated/ --by <name>"), r.toString());
    expect(ExitCodes.OK, DevStack.cli("cancel", "exit/gated/"));
  }

  @Test
  void givenRunThatStopsForApproval_whenWatched_thenExit4WithTheCommandThatAnswersIt() {
    expect(
        ExitCodes.OK,
        DevStack.cli(
            restore(
                "watched/", "--require-approval", "--approver", "alice", "--requested-by", "bob")));
    Cli.Result r =
        expect(
            ExitCodes.WAITING_FOR_PERSON,
            DevStack.cli("watch", "exit/watched/", "--interval", "200ms"));
    assertTrue(r.out().contains("./dbops approve exit/watched/ --by <name>"), r.toString());
    Cli.Result json =
        expect(
            ExitCodes.WAITING_FOR_PERSON,
            DevStack.cli("watch", "exit/watched/", "--interval", "200ms", "--json"));
    assertTrue(json.out().contains("\"event\":\"waiting\""), json.toString());
    expect(ExitCodes.OK, DevStack.cli("cancel", "exit/watched/"));
  }
}
