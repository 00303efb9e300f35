package dev.dbops.sandbox;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Runs the AWS sandbox (a test double, not AWS) on its own; stops on Ctrl-C / SIGTERM:
 *
 * <pre>
 * java -jar sandbox/target/dbops-sandbox.jar [--port 4599] [--bind 127.0.0.1] [--day-length PT1M]
 *     [--seed-demo [--secrets-dir DIR] [--masking-dir DIR] [--download-dir DIR]]
 * </pre>
 *
 * {@code --bind} is loopback unless given: only a container network (the compose {@code sandbox}
 * profile) binds {@code 0.0.0.0}. {@code --seed-demo} seeds {@link DemoResources} and prints how to
 * run each procedure against them. The older positional form {@code [port] [dayLength]} still
 * works.
 */
public final class SandboxMain {

  static final int DEFAULT_PORT = 4599;
  static final Path DEFAULT_STATE_DIR = Path.of(".dbops-sandbox");

  /** Bad input: the same exit code as the dbops CLI. */
  static final int EXIT_INVALID = 2;

  private SandboxMain() {}

  /** What the command line asked for. */
  record Options(
      int port,
      InetAddress bind,
      Duration dayLength,
      boolean seedDemo,
      Path secretsDir,
      Path maskingDir,
      Path downloadDir) {}

  /** Bad input, naming the flag. */
  static final class InvalidOption extends RuntimeException {
    InvalidOption(String message) {
      super(message);
    }
  }

  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = parse(args);
    } catch (InvalidOption e) {
      System.err.println("dbops-sandbox: " + e.getMessage());
      System.exit(EXIT_INVALID);
      return;
    }
    AwsSandbox sandbox = start(options, System.out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sandbox.close();
                  stopped.countDown();
                },
                "aws-sandbox-shutdown"));
    stopped.await();
  }

  static Options parse(String[] args) {
    int port = DEFAULT_PORT;
    InetAddress bind = InetAddress.getLoopbackAddress();
    Duration dayLength = null;
    boolean seedDemo = false;
    Path secrets = DEFAULT_STATE_DIR;
    Path masking = DEFAULT_STATE_DIR;
    Path downloads = DEFAULT_STATE_DIR.resolve("downloads");
    int positional = 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--port" -> port = port("--port", value(args, ++i, a));
        case "--bind" -> bind = address(value(args, ++i, a));
        case "--day-length" -> dayLength = duration("--day-length", value(args, ++i, a));
        case "--seed-demo" -> seedDemo = true;
        case "--secrets-dir" -> secrets = Path.of(value(args, ++i, a));
        case "--masking-dir" -> masking = Path.of(value(args, ++i, a));
        case "--download-dir" -> downloads = Path.of(value(args, ++i, a));
        default -> {
          if (a.startsWith("-")) {
            throw new InvalidOption("unknown option " + a);
          }
          if (positional == 0) {
            port = port("port", a);
          } else if (positional == 1) {
            dayLength = duration("dayLength", a);
          } else {
            throw new InvalidOption("unexpected argument " + a);
          }
          positional++;
        }
      }
    }
    return new Options(port, bind, dayLength, seedDemo, secrets, masking, downloads);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new InvalidOption(flag + ": needs a value");
    }
    return args[i];
  }

  private static int port(String flag, String v) {
    try {
      int p = Integer.parseInt(v);
      if (p < 0 || p > 65535) {
        throw new InvalidOption(flag + ": must be 0..65535, was " + v);
      }
      return p;
    } catch (NumberFormatException e) {
      throw new InvalidOption(flag + ": not a port number: '" + v + "'");
    }
  }

  private static Duration duration(String flag, String v) {
    try {
      Duration d = Duration.parse(v);
      if (d.isNegative() || d.isZero()) {
        throw new InvalidOption(flag + ": must be positive, was " + v);
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new InvalidOption(flag + ": not an ISO-8601 duration (e.g. PT1M): '" + v + "'");
    }
  }

  /** An IP literal only: a host name would be resolved here, and could name any interface. */
  private static InetAddress address(String v) {
    if (!v.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      throw new InvalidOption("--bind: an IP address (127.0.0.1, 0.0.0.0), was '" + v + "'");
    }
    try {
      return InetAddress.getByName(v);
    } catch (UnknownHostException e) {
      throw new InvalidOption("--bind: not an IP address: '" + v + "'");
    }
  }

  /** Starts (and seeds, if asked) and prints the banner to {@code out}. */
  static AwsSandbox start(Options options, PrintStream out) {
    SandboxConfig config = SandboxConfig.defaults().withPort(options.port());
    if (options.dayLength() != null) {
      config = config.withDayLength(options.dayLength());
    }
    AwsSandbox sandbox = AwsSandbox.start(config, java.time.Clock.systemUTC(), options.bind());
    // The banner goes to stdout: this is a command-line entry point.
    out.println(
        AwsSandbox.SERVER_NAME
            + " listening on "
            + options.bind().getHostAddress()
            + ":"
            + sandbox.listeningOn().getPort()
            + " — S3 path-style, RDS and STS (Query), Route53 (REST-XML), any credentials; admin API: "
            + sandbox.endpoint()
            + "/_sandbox/");
    out.println(
        "admin token: "
            + sandbox.adminToken()
            + " (send it as "
            + AwsSandbox.ADMIN_TOKEN_HEADER
            + " on every /_sandbox/ request)");
    if (options.seedDemo()) {
      DemoResources.Seeded seeded =
          DemoResources.seed(
              sandbox, options.secretsDir(), options.maskingDir(), options.downloadDir());
      banner(out, seeded);
    }
    out.flush();
    return sandbox;
  }

  private static void banner(PrintStream out, DemoResources.Seeded seeded) {
    out.println("demo resources seeded (sandbox data, made up). Try, with the dbops CLI:");
    out.println("  dbops start glacier-restore " + join(seeded.restoreArgs()) + " --wait");
    if (!seeded.upgradeArgs().isEmpty()) {
      out.println("  dbops start upgrade " + join(seeded.upgradeArgs()));
    }
    if (!seeded.stagingArgs().isEmpty()) {
      out.println("  dbops start staging-rebuild " + join(seeded.stagingArgs()));
    }
    out.println("demo: ready");
  }

  /** POSIX-shell quoting where needed, so a printed line can be pasted. */
  static String join(List<String> args) {
    return args.stream()
        .map(a -> a.matches("[A-Za-z0-9_./:=@%+,-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
        .collect(Collectors.joining(" "));
  }
}
