package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.binlog.WritesStopped;
import dev.dbops.workflows.migration.MigrationRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code aurora-migration} flags to request, and bad input refused with exit 2 naming the flag,
 * without a server: the address given is a closed loopback port, so a command that got as far as
 * connecting (let alone starting a run that could change anything) would exit 3 instead.
 */
class AuroraMigrationFlagsTest {
  static List<String> valid() {
    return new ArrayList<>(
        List.of(
            "--source-instance",
            "orders-mysql",
            "--db-user",
            "admin",
            "--db-password-ref",
            "env:DB_PASSWORD",
            "--zone-id",
            "Z0123456789ABC",
            "--record-name",
            "db.prod.internal.",
            "--approver",
            "alice",
            "--requested-by",
            "bob"));
  }

  /** {@code valid()} with {@code flag}'s value replaced (or the flag added). */
  static List<String> with(String flag, String... values) {
    List<String> args = valid();
    int at = args.indexOf(flag);
    if (at >= 0) {
      args.remove(at);
      args.remove(at);
    }
    args.add(flag);
    args.addAll(Arrays.asList(values));
    return args;
  }

  static List<String> without(String flag) {
    List<String> args = valid();
    int at = args.indexOf(flag);
    args.remove(at);
    args.remove(at);
    return args;
  }

  private MigrationRequest parse(List<String> args) {
    StartCommand.AuroraMigration cmd = new StartCommand.AuroraMigration();
    new CommandLine(cmd).parseArgs(args.toArray(String[]::new));
    return (MigrationRequest) cmd.flags().toRequest();
  }

  @Test
  void givenEveryFlag_whenParsed_thenRequestCarriesEachFieldAndIsValid() {
    List<String> args = valid();
    args.addAll(
        List.of(
            "--instance-class",
            "db.r6g.large",
            "--instances",
            "2",
            "--ttl",
            "0",
            "--upgrade-source",
            "--source-upgrade-version",
            "5.7.44",
            "--writes-stopped",
            "hook",
            "--cutover-window",
            "1m",
            "--revert-window",
            "2h",
            "--poll-interval",
            "1m",
            "--vpc-security-group",
            "sg-0123456789abcdef0",
            "--min-binlog-retention",
            "48"));
    MigrationRequest r = parse(args);
    assertEquals("orders-mysql", r.sourceInstanceId());
    assertEquals("env:DB_PASSWORD", r.login().passwordRef());
    assertEquals("db.prod.internal.", r.dns().recordName());
    assertEquals(List.of("alice"), r.approval().approvers());
    assertEquals(2, r.instancesOrDefault());
    assertTrue(r.upgradeSourceOrDefault());
    assertEquals(WritesStopped.HOOK, r.writesStoppedOrDefault());
    assertEquals(Duration.ofHours(2), r.revertWindowOrDefault());
    assertEquals(48, r.minBinlogRetentionHoursOrDefault());
    assertEquals(List.of(), r.problems());
    assertEquals("aurora-migration/orders-mysql", r.defaultWorkflowId());
    assertEquals(2, r.targets().size(), "the instance and the CNAME: " + r.targets());
  }

  @Test
  void givenBadInputs_whenStartedOrPlanned_thenExit2NamingTheFlagBeforeAnyConnection()
      throws IOException {
    String address = "127.0.0.1:" + CliExitCodesTest.closedPort();
    Object[][] cases = {
      {without("--source-instance"), "--source-instance"},
      {with("--source-instance", "orders_mysql!"), "--source-instance"},
      {without("--db-password-ref"), "--db-password-ref"},
      {with("--db-password-ref", "hunter2"), "--db-password-ref"},
      {with("--db-user", "ad'min"), "--db-user"},
      {without("--zone-id"), "--zone-id"},
      {with("--record-name", "db..prod"), "--record-name"},
      {with("--ttl", "-5"), "--ttl"},
      {without("--approver"), "--approver"},
      {with("--approver", "bob"), "--approvals-required"},
      {with("--instance-class", "r5.large"), "--instance-class"},
      {with("--instances", "16"), "--instances"},
      {with("--cluster-parameter-group", "9-bad"), "--cluster-parameter-group"},
      {with("--vpc-security-group", "default"), "--vpc-security-group"},
      {with("--upgrade-source"), "--source-upgrade-version"},
      {with("--source-upgrade-version", "5.7.44"), "--upgrade-source"},
      {with("--min-binlog-retention", "500"), "--min-binlog-retention"},
      {with("--writes-stopped", "maybe"), "--writes-stopped"},
      {with("--cutover-window", "0s"), "--cutover-window"},
      {with("--poll-interval", "10m", "--max-wait", "1m"), "--max-wait"},
      {with("--revert-window", "8d"), "--revert-window"},
      {with("--create-max-wait", "30s"), "--create-max-wait"},
      {with("--cutover-window", "2h"), "--cutover-window"},
      {with("--account", "12345"), "--account"},
      {with("--role-arn", "arn:aws:iam::123456789012:role/x"), "--role-arn"},
    };
    for (String command : List.of("start", "plan")) {
      for (Object[] c : cases) {
        @SuppressWarnings("unchecked")
        List<String> args = new ArrayList<>((List<String>) c[0]);
        args.addAll(0, List.of(command, "aurora-migration"));
        args.addAll(List.of("--address", address));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        String what = command + " " + c[1] + ": " + r;
        assertEquals(ExitCodes.INVALID_INPUT, r.exit(), what);
        assertTrue(r.err().contains((String) c[1]), what);
        assertTrue(!r.err().contains("cannot reach Temporal"), what);
      }
    }
    assertTrue(cases.length >= 10, "bad inputs: " + cases.length);
  }
}
