package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.dbops.activities.sql.SqlSecrets;
import dev.dbops.client.DbopsConfig;
import dev.dbops.client.TemporalConnection;
import dev.dbops.client.codec.AesGcmPayloadCodec;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never show, with payload encryption on, through separate processes on 127.0.0.1: {@code
 * dbops dev} (its embedded worker and its demo restore) and every CLI command run with a payload
 * key. Every procedure that takes a secret runs on its dev demo: the upgrade planned and run (the
 * cluster's password random, read from a {@code file:} reference); the binlog catch-up with random
 * passwords given as {@code env:} references, through a decision on a replicated {@code ALTER USER}
 * that quotes the replication password in the replica's error, to the cut-over and past it; the
 * staging rebuild planned and run (the new cluster's master password from a {@code file:}
 * reference). Then every history of the namespace (decrypted, payload by payload, and as stored),
 * the worker's log, every CLI output, and {@code status()} and the result of each run are scanned
 * for each password and its MySQL hash: none may appear. The scanner is shown to find each value
 * planted in a synthetic text, and the decrypted histories to hold each request's secret reference.
 * Read without the key, the stored payloads are encrypted and hold no request value; the CLI
 * without the key says it cannot read them.
 */
@Tag("process")
class SecretsScanProcessTest {
  static final String QUEUE = "e2e-secrets";
  static final Duration STARTUP = ChildProcesses.STARTUP;
  static final String KEY_VARIABLE = "DBOPS_TEST_PAYLOAD_KEY";
  static final String ADMIN_VARIABLE = "DBOPS_TEST_BINLOG_ADMIN_PASSWORD";
  static final String REPL_VARIABLE = "DBOPS_TEST_BINLOG_REPL_PASSWORD";
  static final String UPGRADE_ID = "upgrade/" + UpgradeDemo.CLUSTER;
  static final Pattern STAGING_STARTED = Pattern.compile("started staging-rebuild (\\S+) \\(run");

  @TempDir Path dir;
  ChildProcesses children;

  /** Name → value of every secret the runs use; none may appear anywhere. */
  final Map<String, String> secrets = new LinkedHashMap<>();

  final List<String> scannedOutputs = new ArrayList<>();

  /**
   * Texts scanned, by kind (history, status(), result, CLI, the worker's …), for the summary line.
   */
  final Map<String, Integer> scans = new TreeMap<>();

  long scannedChars;

  /** The payload key, given to every process as {@code env:DBOPS_TEST_PAYLOAD_KEY}. */
  final String keyBase64 = Base64.getEncoder().encodeToString(randomBytes(32));

  @BeforeEach
  void children() {
    children = new ChildProcesses(dir);
  }

  @AfterEach
  void stopChildren() throws InterruptedException {
    children.close();
  }

  /** The demo approver's key dev mode writes (relative to the children's working directory). */
  static final String DEMO_KEY =
      DevCommand.STATE_DIR.resolve("approver-" + DevApprover.NAME).toString();

  @Test
  void
      givenKnownPasswordsAndPayloadEncryption_whenUpgradeBinlogCatchUpAndStagingRebuildRun_thenNoSecretAppearsAnywhere()
          throws Exception {
    int temporalPort = ChildProcesses.freePort();
    int sandboxPort = ChildProcesses.freePort();
    String address = "127.0.0.1:" + temporalPort;
    String adminPassword = "adm-" + random(18);
    String replPassword = "rpl-" + random(18);

    Map<String, String> codec =
        Map.of(
            DbopsConfig.DBOPS_PAYLOAD_KEY_REF,
            "env:" + KEY_VARIABLE,
            DbopsConfig.DBOPS_PAYLOAD_KEY_ID,
            "e2e",
            KEY_VARIABLE,
            keyBase64);
    Map<String, String> devEnv = new HashMap<>(codec);
    devEnv.putAll(
        Map.of(
            DbopsConfig.DBOPS_TASK_QUEUE,
            QUEUE,
            DbopsConfig.DBOPS_METRICS_PORT,
            "0",
            ADMIN_VARIABLE,
            adminPassword,
            REPL_VARIABLE,
            replPassword));
    children.spawn(
        "dev",
        devEnv,
        "dev",
        "--temporal-port",
        Integer.toString(temporalPort),
        "--sandbox-port",
        Integer.toString(sandboxPort),
        "--upgrade-duration",
        "3s",
        "--snapshot-duration",
        "1s",
        "--restore-duration",
        "3s");
    children.awaitLine("dev.out", "dev: ready", STARTUP);
    String devOut = children.log("dev.out");
    assertTrue(
        devOut.contains("COMPLETED"),
        "the demo restore ran with encryption on:\n" + children.allLogs());

    Map<String, String> cliEnv = new HashMap<>(codec);
    cliEnv.putAll(
        Map.of(DbopsConfig.TEMPORAL_ADDRESS, address, DbopsConfig.DBOPS_TASK_QUEUE, QUEUE));

    // Upgrade: the demo cluster's password is random, in a file the request refers to.
    List<String> upgradeArgs = printedArgs(devOut, "upgrade");
    String upgradePasswordFile = flag(upgradeArgs, "--db-password-ref").substring("file:".length());
    secrets.put(
        "upgrade demo user password", Files.readString(Path.of(upgradePasswordFile)).strip());
    cli(cliEnv, "plan-upgrade", 0, concat(List.of("plan"), upgradeArgs));
    cli(
        cliEnv,
        "start-upgrade",
        0,
        concat(
            List.of("start"),
            upgradeArgs,
            List.of("--poll-interval", "1s", "--progress-every", "1s", "--wait")));
    assertTrue(
        children.log("start-upgrade.out").contains("COMPLETED " + UPGRADE_ID),
        children.log("start-upgrade.out"));
    afterRun(cliEnv, "upgrade", UPGRADE_ID);

    // Binlog catch-up: the demo pair's admin and replication passwords replaced by random ones,
    // passed to the worker as environment variables. The admin user has no SUPER (as on RDS), so
    // the changes on the source are binlogged after the start position and replicated. The
    // replication user exists only on the source: its ALTER USER, password in clear, fails on the
    // replica (1396), and Last_SQL_Error and the relay log quote it — the way a secret comes out
    // of the replica into the decision, status(), the journal and the history. The run waits for
    // a decision; the error shown must be masked, and the skip journaled.
    List<String> binlogArgs = printedArgs(devOut, "binlog-catch-up");
    String demoAdminPassword =
        Files.readString(Path.of(flag(binlogArgs, "--source-password-ref").substring(5))).strip();
    String demoReplPassword =
        Files.readString(Path.of(flag(binlogArgs, "--repl-password-ref").substring(5))).strip();
    String adminUser = flag(binlogArgs, "--source-user");
    String replUser = flag(binlogArgs, "--repl-user");
    try (Connection source = connect(flag(binlogArgs, "--source"), adminUser, demoAdminPassword);
        Statement s = source.createStatement()) {
      s.execute("ALTER USER '" + replUser + "'@'127.0.0.1' IDENTIFIED BY '" + replPassword + "'");
      s.execute("ALTER USER '" + adminUser + "'@'127.0.0.1' IDENTIFIED BY '" + adminPassword + "'");
    }
    try (Connection replica = connect(flag(binlogArgs, "--replica"), adminUser, demoAdminPassword);
        Statement s = replica.createStatement()) {
      s.execute("ALTER USER '" + adminUser + "'@'127.0.0.1' IDENTIFIED BY '" + adminPassword + "'");
    }
    secrets.put("binlog admin password", adminPassword);
    secrets.put("binlog replication password", replPassword);
    secrets.put("binlog demo's former admin password", demoAdminPassword);
    secrets.put("binlog demo's former replication password", demoReplPassword);
    List<String> refs =
        replaceFlag(
            replaceFlag(
                replaceFlag(binlogArgs, "--source-password-ref", "env:" + ADMIN_VARIABLE),
                "--replica-password-ref",
                "env:" + ADMIN_VARIABLE),
            "--repl-password-ref",
            "env:" + REPL_VARIABLE);
    String binlogId = "binlog/" + flag(binlogArgs, "--replica");
    cli(cliEnv, "start-binlog", 0, concat(List.of("start"), refs));
    cli(
        cliEnv,
        "watch-binlog",
        ExitCodes.WAITING_FOR_PERSON,
        List.of("watch", binlogId, "--interval", "500ms"));
    String decision = children.log("watch-binlog.out");
    assertTrue(
        decision.contains("[AWAITING_DECISION]")
            && decision.contains("1396")
            && decision.contains("IDENTIFIED BY " + SqlSecrets.MASK),
        "the replicated ALTER USER waits, masked:\n" + decision);
    cli(cliEnv, "status-binlog-decision", 0, List.of("status", binlogId));
    cli(cliEnv, "status-json-binlog-decision", 0, List.of("status", binlogId, "--json"));
    // dev mode's worker takes approvals signed with its demo key only; the banner names the key
    // file.
    assertTrue(devOut.contains("--key " + DEMO_KEY), "dev prints how to sign:\n" + devOut);
    cli(
        cliEnv,
        "decide-binlog",
        0,
        List.of(
            "decide",
            binlogId,
            "--action",
            "skip",
            "--by",
            "alice",
            "--reason",
            "the replication user lives on the source only",
            "--key",
            DEMO_KEY));
    cli(
        cliEnv,
        "watch-binlog-cutover",
        ExitCodes.WAITING_FOR_PERSON,
        List.of("watch", binlogId, "--interval", "500ms"));
    assertTrue(
        children.log("watch-binlog-cutover.out").contains("[AWAITING_CUTOVER]"),
        children.log("watch-binlog-cutover.out"));
    cli(cliEnv, "journal-binlog", 0, List.of("journal", binlogId, "--format", "jsonl"));
    String journal = children.log("journal-binlog.out");
    assertEquals(
        BinlogDemo.DRIFT_IDS.size() + 1,
        journal.lines().filter(l -> !l.isBlank()).count(),
        journal);
    assertTrue(
        journal.contains("IDENTIFIED BY " + SqlSecrets.MASK),
        "the skipped ALTER USER is journaled, masked:\n" + journal);
    cli(cliEnv, "journal-binlog-table", 0, List.of("journal", binlogId));
    cli(
        cliEnv,
        "approve-binlog",
        0,
        List.of(
            "approve",
            binlogId,
            "--by",
            "alice",
            "--comment",
            "journal reconciled",
            "--key",
            DEMO_KEY));
    afterRun(cliEnv, "binlog", binlogId);

    // Staging rebuild: the new cluster's master password, in the owner-only file dev mode wrote
    // and the request refers to (set on the restored cluster, then used to mask its rows).
    List<String> stagingArgs = printedStagingArgs(devOut);
    stagingArgs.set(stagingArgs.indexOf("--grace") + 1, "2s");
    stagingArgs.set(stagingArgs.indexOf("--poll-interval") + 1, "1s");
    String masterPasswordRef = flag(stagingArgs, "--master-password-ref");
    assertTrue(masterPasswordRef.startsWith("file:"), masterPasswordRef);
    secrets.put(
        "staging master password",
        Files.readString(dir.resolve(masterPasswordRef.substring(5))).strip());
    cli(cliEnv, "plan-staging", 0, concat(List.of("plan", "staging-rebuild"), stagingArgs));
    cli(cliEnv, "start-staging", 0, concat(List.of("start", "staging-rebuild"), stagingArgs));
    Matcher started = STAGING_STARTED.matcher(children.log("start-staging.out"));
    assertTrue(started.find(), children.log("start-staging.out"));
    String stagingId = started.group(1);
    afterRun(cliEnv, "staging", stagingId);
    cli(cliEnv, "list", 0, List.of("list"));

    // Without the key the CLI cannot read the runs, and says so.
    Map<String, String> keyless =
        Map.of(DbopsConfig.TEMPORAL_ADDRESS, address, DbopsConfig.DBOPS_TASK_QUEUE, QUEUE);
    Process noKey = children.spawn("result-without-key", keyless, "result", UPGRADE_ID, "--json");
    assertTrue(noKey.waitFor(60, TimeUnit.SECONDS));
    assertTrue(noKey.exitValue() != 0, children.log("result-without-key.out"));

    for (Map.Entry<String, String> secret : List.copyOf(secrets.entrySet())) {
      secrets.put(secret.getKey() + " (MySQL hash)", mysqlNativeHash(secret.getValue()));
    }
    scanHistoriesStatusAndResults(
        address,
        List.of(UPGRADE_ID, binlogId, stagingId),
        Map.of(
            UPGRADE_ID,
            flag(upgradeArgs, "--db-password-ref"),
            binlogId,
            "env:" + REPL_VARIABLE,
            stagingId,
            masterPasswordRef));
    for (String file : List.of("dev.out", "dev.err"))
      scanned("log of the worker and dev mode " + file, children.log(file));
    for (String name : scannedOutputs) {
      scanned("CLI " + name + ".out", children.log(name + ".out"));
      scanned("CLI " + name + ".err", children.log(name + ".err"));
    }
    System.out.println(
        "secrets scan: "
            + secrets.size()
            + " secret values (passwords and their MySQL hashes) not in "
            + scans
            + " texts, "
            + scannedChars
            + " characters");
  }

  private void afterRun(Map<String, String> env, String name, String id) throws Exception {
    cli(env, "status-" + name, 0, List.of("status", id));
    cli(env, "status-json-" + name, 0, List.of("status", id, "--json"));
    // exit 0: the run succeeded (a failed one exits 1 with outcome FAILED); the binlog result has
    // no outcome
    cli(env, "result-json-" + name, 0, List.of("result", id, "--json"));
    JsonNode result = Render.MAPPER.readTree(children.log("result-json-" + name + ".out"));
    assertTrue(
        !result.has("outcome") || result.path("outcome").asText().equals("COMPLETED"),
        result.toString());
    cli(env, "result-" + name, 0, List.of("result", id));
    cli(env, "report-" + name, 0, List.of("report", id));
    cli(env, "report-json-" + name, 0, List.of("report", id, "--format", "json"));
  }

  /**
   * Every workflow of the namespace: histories with and without the key, status() and result.
   *
   * @param references per workflow id, a text its decrypted history must hold (a secret's
   *     reference)
   */
  private void scanHistoriesStatusAndResults(
      String address, List<String> procedures, Map<String, String> references) throws Exception {
    Map<String, String> env =
        Map.of(
            DbopsConfig.TEMPORAL_ADDRESS,
            address,
            DbopsConfig.DBOPS_PAYLOAD_KEY_REF,
            "env:" + KEY_VARIABLE,
            DbopsConfig.DBOPS_PAYLOAD_KEY_ID,
            "e2e",
            KEY_VARIABLE,
            keyBase64);
    DbopsConfig config = DbopsConfig.from(env);
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(config.payloadKeys());
    WorkflowServiceStubs stubs = TemporalConnection.stubs(config, null);
    try {
      WorkflowClient withKey = TemporalConnection.client(stubs, config);
      WorkflowClient withoutKey = WorkflowClient.newInstance(stubs);
      List<WorkflowExecution> runs = executions(stubs);
      List<String> ids = runs.stream().map(WorkflowExecution::getWorkflowId).toList();
      Map<String, String> decryptedHistories = new HashMap<>();
      assertTrue(
          ids.containsAll(procedures)
              && ids.stream().anyMatch(i -> i.startsWith("plan/upgrade/"))
              && ids.stream().anyMatch(i -> i.startsWith("restore/")),
          "runs: " + ids);
      for (WorkflowExecution run : runs) {
        String where = "history of " + run.getWorkflowId();
        var history = withoutKey.fetchHistory(run.getWorkflowId(), run.getRunId());
        scanned(where + " (as stored)", history.toJson(false));
        StringBuilder decrypted = new StringBuilder();
        int encrypted = 0;
        for (Payload p : payloads(history.getHistory())) {
          if (AesGcmPayloadCodec.isEncrypted(p)) encrypted++;
          Payload plain = codec.decode(List.of(p)).get(0);
          decrypted.append(plain.getData().toString(StandardCharsets.UTF_8)).append('\n');
          for (String value :
              List.of(UpgradeDemo.CLUSTER, BinlogDemo.TABLE, "journal reconciled")) {
            assertFalse(
                p.getData().toString(StandardCharsets.ISO_8859_1).contains(value),
                value + " readable without the key in " + where);
          }
        }
        assertTrue(encrypted >= 3, where + ": only " + encrypted + " encrypted payloads");
        decryptedHistories.merge(run.getWorkflowId(), decrypted.toString(), String::concat);
        scanned(where + " (payloads decrypted)", decrypted.toString());
        if (run.getWorkflowId().contains(UpgradeDemo.CLUSTER)) {
          assertTrue(
              decrypted.indexOf(UpgradeDemo.CLUSTER) >= 0,
              where + ": decrypted, the payloads hold the request");
        }
      }
      scannerFindsPlantedSecrets(decryptedHistories, references);
      for (String id : procedures) {
        WorkflowStub stub = withKey.newUntypedWorkflowStub(id);
        JsonNode status = stub.query("status", JsonNode.class);
        assertTrue(status.path("phase").asText().equals("COMPLETED"), id + " status: " + status);
        scanned("status() of " + id, status.toString());
        scanned("result of " + id, stub.getResult(JsonNode.class).toString());
      }
    } finally {
      stubs.shutdownNow();
    }
  }

  private static List<WorkflowExecution> executions(WorkflowServiceStubs stubs) {
    List<WorkflowExecution> out = new ArrayList<>();
    stubs
        .blockingStub()
        .listOpenWorkflowExecutions(
            ListOpenWorkflowExecutionsRequest.newBuilder()
                .setNamespace("default")
                .setMaximumPageSize(1000)
                .build())
        .getExecutionsList()
        .stream()
        .map(WorkflowExecutionInfo::getExecution)
        .forEach(out::add);
    stubs
        .blockingStub()
        .listClosedWorkflowExecutions(
            ListClosedWorkflowExecutionsRequest.newBuilder()
                .setNamespace("default")
                .setMaximumPageSize(1000)
                .build())
        .getExecutionsList()
        .stream()
        .map(WorkflowExecutionInfo::getExecution)
        .forEach(out::add);
    return out;
  }

  /**
   * Fails naming the secret (not its value) and where it was found, with the line around it masked.
   */
  private void scanned(String where, String text) {
    assertFalse(text.isEmpty() && where.startsWith("history"), where + " is empty");
    String leak = leak(where, text, secrets);
    if (leak != null) fail(leak);
    scans.merge(where.substring(0, where.indexOf(' ')), 1, Integer::sum);
    scannedChars += text.length();
  }

  /** The first of {@code values} found in {@code text}, said without the value, or null. */
  static String leak(String where, String text, Map<String, String> values) {
    for (Map.Entry<String, String> v : values.entrySet()) {
      int at = text.indexOf(v.getValue());
      if (at >= 0) {
        int from = Math.max(0, text.lastIndexOf('\n', at) + 1);
        int to = text.indexOf('\n', at);
        String line =
            text.substring(from, to < 0 ? text.length() : to)
                .replace(v.getValue(), "<" + v.getKey() + ">");
        return "the " + v.getKey() + " appears in " + where + ": " + line;
      }
    }
    return null;
  }

  /**
   * The scanner finds every secret (and its hash) planted in a text like the ones scanned, and the
   * texts scanned are the real ones: the decrypted histories hold what the requests refer to.
   */
  private void scannerFindsPlantedSecrets(
      Map<String, String> decryptedHistories, Map<String, String> mustHold) {
    for (Map.Entry<String, String> secret : secrets.entrySet()) {
      String planted =
          "{\"lastSqlError\":\"Query: 'ALTER USER x IDENTIFIED BY '"
              + secret.getValue()
              + "''\"}\nnext";
      String found = leak("a synthetic status", planted, secrets);
      assertTrue(
          found != null && found.contains(secret.getKey()) && !found.contains(secret.getValue()),
          "the scanner misses the " + secret.getKey() + ": " + found);
    }
    mustHold.forEach(
        (id, reference) ->
            assertTrue(
                decryptedHistories.getOrDefault(id, "").contains(reference),
                "the decrypted history of "
                    + id
                    + " does not hold "
                    + reference
                    + ": the scan reads the wrong text"));
  }

  private void cli(Map<String, String> env, String name, int exit, List<String> args)
      throws Exception {
    Process p = children.spawn(name, env, args.toArray(String[]::new));
    if (!p.waitFor(180, TimeUnit.SECONDS)) fail(name + " did not return\n" + children.allLogs());
    assertEquals(
        exit,
        p.exitValue(),
        name
            + ":\n"
            + children.log(name + ".out")
            + children.log(name + ".err")
            + "\n--- dev.err\n"
            + children.log("dev.err"));
    scannedOutputs.add(name);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static String random(int bytes) {
    return HexFormat.of().formatHex(randomBytes(bytes));
  }

  /** MySQL / MariaDB {@code mysql_native_password}: '*' + hex(SHA1(SHA1(password))), upper case. */
  static String mysqlNativeHash(String password) throws Exception {
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    byte[] once = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
    return "*"
        + HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(once));
  }

  /** Every payload anywhere in {@code m}. */
  static List<Payload> payloads(Message m) {
    List<Payload> out = new ArrayList<>();
    collect(m, out);
    return out;
  }

  private static void collect(Message m, List<Payload> out) {
    if (m instanceof Payload p) {
      out.add(p);
      return;
    }
    m.getAllFields()
        .forEach(
            (field, value) -> {
              if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) return;
              if (field.isRepeated()) {
                for (Object o : (List<?>) value) collect((Message) o, out);
              } else {
                collect((Message) value, out);
              }
            });
  }

  private static Connection connect(String hostPort, String user, String password)
      throws Exception {
    return DriverManager.getConnection(
        "jdbc:mysql://" + hostPort + "/?sslMode=DISABLED", user, password);
  }

  /**
   * The {@code ./dbops start <procedure> …} line dev mode prints, as arguments after the procedure.
   */
  private static List<String> printedArgs(String devOut, String procedure) {
    String prefix = "./dbops start " + procedure + " ";
    String line =
        devOut
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith(prefix))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("dev printed no " + prefix + "command:\n" + devOut));
    assertFalse(line.contains("'"), "expected unquoted arguments: " + line);
    List<String> args =
        new ArrayList<>(List.of(line.substring("./dbops start ".length()).split(" +")));
    // dev prints the upgrade's pace flags after the request's; the test sets its own
    int pace = args.indexOf("--poll-interval");
    if (procedure.equals("upgrade") && pace >= 0) return new ArrayList<>(args.subList(0, pace));
    return args;
  }

  /**
   * The {@code ./dbops start staging-rebuild …} line dev mode prints (sh-quoted), as arguments
   * after it.
   */
  private static List<String> printedStagingArgs(String devOut) {
    String prefix = "./dbops start staging-rebuild ";
    String line =
        devOut
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith(prefix))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("dev printed no " + prefix + "command:\n" + devOut));
    return new ArrayList<>(StagingEndToEndProcessTest.shellWords(line.substring(prefix.length())));
  }

  private static String flag(List<String> args, String name) {
    int i = args.indexOf(name);
    assertTrue(i >= 0 && i + 1 < args.size(), name + " not in " + args);
    return args.get(i + 1);
  }

  private static List<String> replaceFlag(List<String> args, String name, String value) {
    List<String> out = new ArrayList<>(args);
    out.set(out.indexOf(name) + 1, value);
    return out;
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> out = new ArrayList<>();
    for (List<String> p : parts) out.addAll(p);
    return out;
  }
}
