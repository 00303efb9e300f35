package dev.dbops.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The product's weight and the CLI's latency, as an operator meets them: the sizes of the CLI jar
 * and of the worker image's jar, and the median of 5 wall times of {@code dbops --version} and of
 * {@code dbops status <id>} against a running {@code dbops dev} (a real glacier restore, answered
 * by its worker), each with the JVM options that matter: none, the launcher's (C1 only, serial GC),
 * and the launcher's with the AppCDS archive made at build time.
 *
 * <p>Usage: {@code CliBenchmark <repository root> [--record-class-list]} after {@code ./mvnw
 * -DskipTests package}. With {@code --record-class-list} it also rewrites {@code
 * starter/src/main/cds/classes.lst}, the classes a real {@code status} loads, from which the build
 * dumps the CLI's AppCDS archive (run it again after the CLI's dependencies change). Targets on a
 * quiet machine: CLI jar at most 40 MB, worker jar at most 80 MB, {@code status} at most 0.7 s,
 * {@code --version} at most 0.3 s.
 */
public final class CliBenchmark {
  static final long CLI_MAX_BYTES = 40L * 1000 * 1000;
  static final long WORKER_MAX_BYTES = 80L * 1000 * 1000;
  static final double STATUS_MAX_S = 0.7;
  static final double VERSION_MAX_S = 0.3;
  static final int RUNS = 5;

  private CliBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : "..").toAbsolutePath().normalize();
    Path cli = root.resolve("starter/target/dbops.jar");
    Path cds = root.resolve("starter/target/dbops.jsa");
    Path worker = root.resolve("worker/target/dbops-worker.jar");
    Path devkit = root.resolve("devkit/target/dbops-devkit.jar");
    for (Path jar : List.of(cli, worker, devkit)) {
      if (!Files.isRegularFile(jar)) {
        System.err.println("missing " + jar + ": run ./mvnw -B -DskipTests package first");
        System.exit(2);
      }
    }
    System.out.println("jar sizes");
    size("CLI      starter/target/dbops.jar", Files.size(cli), CLI_MAX_BYTES);
    size("worker   worker/target/dbops-worker.jar", Files.size(worker), WORKER_MAX_BYTES);
    size("lab      devkit/target/dbops-devkit.jar", Files.size(devkit), -1);

    Path work = Files.createTempDirectory("dbops-cli-bench");
    int temporalPort = freePort();
    int sandboxPort = freePort();
    String address = "127.0.0.1:" + temporalPort;
    Process dev =
        new ProcessBuilder(
                java(),
                "-jar",
                devkit.toString(),
                "dev",
                "--temporal-port",
                Integer.toString(temporalPort),
                "--sandbox-port",
                Integer.toString(sandboxPort))
            .directory(work.toFile())
            .redirectOutput(work.resolve("dev.out").toFile())
            .redirectError(work.resolve("dev.err").toFile())
            .start();
    try {
      String id = awaitRestoreRun(cli, address, dev, work);
      List<List<String>> variants = new ArrayList<>();
      variants.add(List.of());
      variants.add(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
      if (Files.isRegularFile(cds)) {
        variants.add(
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + cds));
      }
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "CLI latency, median of %d (status of %s on a running dev server)%n",
          RUNS,
          id);
      for (List<String> opts : variants) {
        double version = median(cli, opts, address, "--version");
        double status = median(cli, opts, address, "status", id);
        String name =
            opts.isEmpty()
                ? "java -jar (no options)"
                : opts.size() == 2 ? "C1 only, serial GC" : "C1 only, serial GC, AppCDS archive";
        System.out.printf(
            Locale.ROOT,
            "  %-36s --version %5.2f s %s   status %5.2f s %s%n",
            name,
            version,
            verdict(version, VERSION_MAX_S),
            status,
            verdict(status, STATUS_MAX_S));
      }
      if (!Files.isRegularFile(cds)) System.out.println("  (no " + cds + ": AppCDS row skipped)");
      if (Arrays.asList(args).contains("--record-class-list")) {
        Path list = root.resolve("starter/src/main/cds/classes.lst");
        Result r =
            run(
                cli,
                List.of("-Xshare:off", "-XX:DumpLoadedClassList=" + list),
                address,
                "status",
                id);
        if (r.exit != 0) throw new IllegalStateException("status exited " + r.exit + ": " + r.err);
        System.out.println(
            "recorded "
                + Files.readAllLines(list).size()
                + " classes into "
                + list
                + " (rebuild: ./mvnw -DskipTests -pl starter -am package)");
      }
    } finally {
      dev.destroy();
      if (!dev.waitFor(20, TimeUnit.SECONDS)) dev.destroyForcibly().waitFor();
    }
  }

  private static void size(String what, long bytes, long max) {
    System.out.printf(
        Locale.ROOT,
        "  %-42s %7.1f MB%s%n",
        what,
        bytes / 1e6,
        max < 0
            ? ""
            : "  (target <= "
                + max / 1000 / 1000
                + " MB: "
                + (bytes <= max ? "PASS" : "FAIL")
                + ")");
  }

  private static String verdict(double seconds, double max) {
    return seconds <= max ? "PASS" : "FAIL";
  }

  /** The id of the dev demo's glacier restore, once {@code status} answers for it. */
  private static String awaitRestoreRun(Path cli, String address, Process dev, Path work)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (!dev.isAlive()) {
        throw new IllegalStateException(
            "dbops dev exited "
                + dev.exitValue()
                + ":\n"
                + Files.readString(work.resolve("dev.err")));
      }
      Result list = run(cli, List.of(), address, "list");
      String id =
          list.out
              .lines()
              .skip(1)
              .map(l -> l.trim().split("\\s+"))
              .filter(cols -> cols.length > 1 && cols[1].equals("glacier-restore"))
              .map(cols -> cols[0])
              .findFirst()
              .orElse(null);
      if (id != null && run(cli, List.of(), address, "status", id).exit == 0) return id;
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "no glacier-restore run answered status within 180 s; dev output in " + work);
  }

  private static double median(Path cli, List<String> opts, String address, String... args)
      throws Exception {
    run(cli, opts, address, args); // warm the page cache; not counted
    double[] seconds = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long t0 = System.nanoTime();
      Result r = run(cli, opts, address, args);
      seconds[i] = (System.nanoTime() - t0) / 1e9;
      if (r.exit != 0)
        throw new IllegalStateException(
            String.join(" ", args) + " exited " + r.exit + ": " + r.err);
    }
    Arrays.sort(seconds);
    return seconds[RUNS / 2];
  }

  record Result(int exit, String out, String err) {}

  private static Result run(Path cli, List<String> opts, String address, String... args)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(opts);
    command.add("-jar");
    command.add(cli.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("TEMPORAL_ADDRESS", address);
    Path out = Files.createTempFile("dbops-cli", ".out");
    Path err = Files.createTempFile("dbops-cli", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new IllegalStateException(String.join(" ", command) + " did not end within 60 s");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
