package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.client.DbopsConfig;
import dev.dbops.sandbox.CallLog;
import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.Faults;
import dev.dbops.worker.DbopsWorker;
import dev.dbops.worker.DevServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, item 2: a non-retryable AWS answer (AccessDenied, not-found, invalid parameter) to a
 * procedure's AWS call fails the run within one attempt — the sandbox saw the call once — and
 * {@code dbops start … --wait} exits 1 printing one plain line with the typed error and AWS's
 * message. Rows: glacier-restore × RestoreObject (S3), upgrade × CreateDBClusterSnapshot (RDS),
 * staging-rebuild × AssumeRole (STS; refused while the run checks the target account: exit 2),
 * CreateDBClusterSnapshot (RDS) and ChangeResourceRecordSets (Route53, the cutover:
 * DnsChangeFailed).
 *
 * <p>Runs on a dev server and worker of its own (not {@link DevStack}): the staging demo seeds
 * fixed names that {@link CliStagingTest} seeds in the shared stack, and scripted faults are
 * sandbox-wide.
 */
@Tag("devstack")
@Tag("mariadb")
class NonRetryableAwsFaultTableTest {
  static final String QUEUE = "non-retryable-faults";
  static final String BUCKET = "nonretryable-faults";
  static final String UPGRADE_CLUSTER = "faults-upgrade-56";

  /**
   * Generous (a staging row restores and masks a copy before its cutover, ≈ 15 s); the call count
   * is the real check.
   */
  static final Duration FAST = Duration.ofSeconds(90);

  @TempDir static Path stateDir;
  static DevServer dev;
  static DbopsWorker worker;
  static UpgradeDemo.Cluster upgrade;
  static StagingDemo.Demo staging;

  @BeforeAll
  static void startStack() {
    dev = DevServer.start(0, 0, DevStack.RDS_TIMINGS);
    worker =
        DbopsWorker.start(
            DbopsConfig.from(
                Map.of(
                    DbopsConfig.TEMPORAL_ADDRESS,
                    dev.temporalAddress(),
                    DbopsConfig.DBOPS_TASK_QUEUE,
                    QUEUE,
                    DbopsConfig.DBOPS_AWS_ENDPOINT,
                    dev.sandboxEndpoint().toString(),
                    DbopsConfig.DBOPS_METRICS_PORT,
                    "0")));
    var s3 = dev.sandbox().s3();
    s3.createBucket(BUCKET);
    for (Faults.Kind kind : NON_RETRYABLE) {
      s3.putObject(BUCKET, prefix(kind) + "x.csv", "x".getBytes(), "GLACIER");
    }
    upgrade =
        UpgradeDemo.seed(
            dev.sandbox().rds(),
            ClusterSeed.aurora56(UPGRADE_CLUSTER)
                .withEngine("aurora", UpgradeDemo.ENGINE_VERSION)
                .withTag("environment", "dev"),
            stateDir);
    staging = StagingDemo.seed(dev.sandbox(), stateDir);
  }

  @AfterAll
  static void stopStack() {
    if (upgrade != null) upgrade.close();
    if (staging != null) staging.close();
    if (worker != null) worker.close();
    if (dev != null) dev.close();
  }

  @AfterEach
  void clearFaults() {
    dev.sandbox().faults().clear();
  }

  static final List<Faults.Kind> NON_RETRYABLE =
      List.of(Faults.Kind.ACCESS_DENIED, Faults.Kind.NOT_FOUND, Faults.Kind.INVALID_PARAMETER);

  /**
   * One row: the procedure's {@code start} arguments, the AWS operation answered with {@code
   * fault}, and the typed error and AWS code the printed line must name.
   */
  record Row(
      String procedure,
      Supplier<List<String>> start,
      String operation,
      Faults.Kind fault,
      int exit,
      String type,
      String awsCode,
      String awsMessage) {
    @Override
    public String toString() {
      return procedure + " × " + operation + " " + fault;
    }
  }

  static String prefix(Faults.Kind kind) {
    return kind.name().toLowerCase().replace('_', '-') + "/";
  }

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    String[] types = {"AccessDenied", "NotFound", "InvalidParameter"};
    String[] s3Codes = {"AccessDenied", "NoSuchKey", "InvalidArgument"};
    String[] s3Messages = {
      "Access Denied", "The specified key does not exist.", "Invalid argument"
    };
    String[] rdsCodes = {"AccessDenied", "DBClusterNotFoundFault", "InvalidParameterValue"};
    String[] rdsMessages = {
      "User is not authorized to perform: rds:CreateDBClusterSnapshot",
      " not found.",
      "Invalid parameter value for CreateDBClusterSnapshot"
    };
    for (int i = 0; i < NON_RETRYABLE.size(); i++) {
      Faults.Kind kind = NON_RETRYABLE.get(i);
      rows.add(
          new Row(
              "glacier-restore",
              () ->
                  List.of(
                      "start",
                      "glacier-restore",
                      "--bucket",
                      BUCKET,
                      "--prefix",
                      prefix(kind),
                      "--tier",
                      "EXPEDITED",
                      "--poll-interval",
                      "1s",
                      "--id",
                      "faults/" + kind.name().toLowerCase()),
              "RestoreObject",
              kind,
              ExitCodes.FAILED,
              types[i],
              s3Codes[i],
              s3Messages[i]));
    }
    for (int i = 0; i < NON_RETRYABLE.size(); i++) {
      rows.add(
          new Row(
              "upgrade",
              () ->
                  concat(
                      List.of("start", "upgrade"),
                      upgrade.startArgs(),
                      List.of("--poll-interval", "1s")),
              "CreateDBClusterSnapshot",
              NON_RETRYABLE.get(i),
              ExitCodes.FAILED,
              types[i],
              rdsCodes[i],
              rdsMessages[i]));
    }
    rows.add(
        new Row(
            "staging-rebuild",
            () ->
                concat(
                    List.of("start", "staging-rebuild"),
                    staging.startArgs("3s", "1s"),
                    List.of("--requested-by", "bob")),
            // The role is first used when the run checks the target account (before any change), so
            // the run fails as InvalidInput and the CLI exits 2; AWS's code and message are kept.
            "AssumeRole",
            Faults.Kind.ACCESS_DENIED,
            ExitCodes.INVALID_INPUT,
            "InvalidInput",
            "AccessDenied",
            "User is not authorized to perform: sts:AssumeRole"));
    for (int i = 0; i < NON_RETRYABLE.size(); i++) {
      rows.add(
          new Row(
              "staging-rebuild",
              () ->
                  concat(
                      List.of("start", "staging-rebuild"),
                      staging.startArgs("3s", "1s"),
                      List.of("--requested-by", "bob")),
              "CreateDBClusterSnapshot",
              NON_RETRYABLE.get(i),
              ExitCodes.FAILED,
              types[i],
              rdsCodes[i],
              rdsMessages[i]));
    }
    // The cutover: the run puts the record back, cleans up what it created and fails as
    // DnsChangeFailed, naming Route53's code and message.
    String[] r53Codes = {"AccessDenied", "NoSuchHostedZone", "InvalidInput"};
    String[] r53Messages = {
      "User is not authorized to perform: route53:ChangeResourceRecordSets",
      "No hosted zone found",
      "Invalid input for ChangeResourceRecordSets"
    };
    for (int i = 0; i < NON_RETRYABLE.size(); i++) {
      rows.add(
          new Row(
              "staging-rebuild",
              () ->
                  concat(
                      List.of("start", "staging-rebuild"),
                      staging.startArgs("3s", "1s"),
                      List.of("--requested-by", "bob")),
              "ChangeResourceRecordSets",
              NON_RETRYABLE.get(i),
              ExitCodes.FAILED,
              "DnsChangeFailed",
              r53Codes[i],
              r53Messages[i]));
    }
    return rows;
  }

  @SafeVarargs
  static List<String> concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> p : parts) all.addAll(p);
    return all;
  }

  static Cli.Result cli(List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--address", dev.temporalAddress(), "--task-queue", QUEUE));
    return Cli.run(all.toArray(String[]::new));
  }

  static long lastCall() {
    List<CallLog.Call> all = dev.sandbox().calls().all();
    return all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
  }

  /**
   * What one row did: the CLI's answer, how long it took, the faulted operation's calls, scripts
   * left.
   */
  record Outcome(
      Row row,
      Cli.Result cli,
      Duration took,
      List<CallLog.Call> sent,
      Map<String, List<Faults.Kind>> left) {
    /**
     * The lines that give the answer: the run's {@code FAILED <id>: …}, or for a Glacier restore
     * (one object's failure does not end the run) the failed object's line; for a request the run
     * refused while checking it, the CLI's {@code invalid input (…): …} on stderr.
     */
    List<String> answerLines() {
      if (row.exit() == ExitCodes.INVALID_INPUT) {
        return cli.err().lines().filter(l -> l.startsWith("invalid input")).toList();
      }
      return cli.out()
          .lines()
          .filter(l -> l.startsWith("FAILED ") || l.contains("  FAILED  "))
          .toList();
    }

    @Override
    public String toString() {
      return row
          + " -> exit "
          + cli.exit()
          + " in "
          + took.toMillis()
          + " ms, "
          + sent.size()
          + " "
          + row.operation()
          + " sent; "
          + String.join(" / ", answerLines()).trim();
    }
  }

  @Test
  void givenNonRetryableAwsAnswer_whenStartWait_thenExit1WithinOneAttemptAndOnePlainTypedLine() {
    List<Outcome> outcomes = new ArrayList<>();
    for (Row row : rows()) {
      dev.sandbox().faults().clear();
      dev.sandbox().faults().script(row.operation(), List.of(row.fault()));
      long before = lastCall();
      long t0 = System.nanoTime();
      List<String> args = new ArrayList<>(row.start().get());
      args.add("--wait");
      Cli.Result r = cli(args);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      List<CallLog.Call> sent =
          dev.sandbox().calls().all().stream()
              .filter(c -> c.seq() > before && c.operation().equals(row.operation()))
              .toList();
      outcomes.add(new Outcome(row, r, took, sent, dev.sandbox().faults().pendingScripts()));
    }
    outcomes.forEach(System.out::println);

    for (Outcome o : outcomes) {
      Row row = o.row();
      Cli.Result r = o.cli();
      assertEquals(row.exit(), r.exit(), row + "\n" + r);
      assertEquals(1, o.answerLines().size(), row + ": one line gives the answer\n" + r);
      // "FAILED <id>: AccessDenied: CreateDBClusterSnapshot … failed: AccessDenied (HTTP 403):
      // <AWS's message>",
      // "FAILED <id>: DnsChangeFailed: the CNAME change … failed (ChangeResourceRecordSets …
      // failed: AccessDenied …",
      // or for a Glacier object "- <key> … FAILED  AccessDenied: RestoreObject s3://… failed: …"
      Pattern typed =
          Pattern.compile(
              (row.exit() == ExitCodes.INVALID_INPUT
                      ? "invalid input \\(the run checked it and changed nothing\\): "
                      : "FAILED +(\\S+: )?"
                          + Pattern.quote(row.type() + ": ")
                          + "(.*\\()?"
                          + Pattern.quote(row.operation() + " "))
                  + ".* failed: "
                  + Pattern.quote(row.awsCode())
                  + " \\(HTTP \\d{3}\\): .*"
                  + Pattern.quote(row.awsMessage())
                  + ".*");
      assertTrue(
          typed.matcher(o.answerLines().get(0)).find(),
          row + ": typed error first, then AWS's code and message\n" + r);
      assertFalse(
          r.out().contains("\tat ") || r.err().contains("\tat "), row + ": no stack trace\n" + r);
      assertFalse(
          r.out().contains("Exception") || r.err().contains("Exception"), row + ": plain\n" + r);
      assertEquals(1, o.sent().size(), row + ": sent once, never retried: " + o.sent() + "\n" + r);
      assertEquals(row.fault().name(), o.sent().get(0).fault(), row.toString());
      assertTrue(o.took().compareTo(FAST) < 0, row + " took " + o.took());
      assertEquals(Map.of(), o.left(), row + ": the script is used up");
    }
  }
}
