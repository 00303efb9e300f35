package dev.dbops.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for the AWS APIs dbops calls, over HTTP on 127.0.0.1 (or a chosen bind address),
 * speaking the real wire protocols so unmodified AWS SDK v2 clients work against {@link
 * #endpoint()} (S3 path-style, RDS and STS Query protocol, Route53 REST-XML; requests are routed by
 * their SigV4 credential scope's service name). It hosts several accounts ({@link #accounts()}):
 * STS AssumeRole credentials act in the role's account, any other credentials in the default one.
 * It is a test double: it verifies no signature and never claims to be AWS.
 *
 * <pre>{@code
 * try (AwsSandbox sandbox = AwsSandbox.start(SandboxConfig.defaults())) {
 *     S3Client s3 = S3Client.builder().endpointOverride(sandbox.endpoint()).forcePathStyle(true)…build();
 * }
 * }</pre>
 */
public final class AwsSandbox implements AutoCloseable {

  /** How the sandbox names itself (Server header, banner, admin info). */
  public static final String SERVER_NAME = "dbops-aws-sandbox (test double, not AWS)";

  /** The header every {@code /_sandbox/} admin request carries {@link #adminToken()} in. */
  public static final String ADMIN_TOKEN_HEADER = "X-Dbops-Sandbox-Token";

  private static final Logger log = LoggerFactory.getLogger(AwsSandbox.class);

  private final SandboxConfig config;
  private final SandboxClock clock;
  private final SandboxAccounts accounts = new SandboxAccounts();
  private final S3Sandbox s3;
  private final RdsSandbox rds;
  private final Route53Sandbox route53;
  private final CallLog calls = new CallLog();
  private final Faults faults;
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI endpoint;
  private final String adminToken = newAdminToken();

  private AwsSandbox(SandboxConfig config, SandboxClock clock, InetAddress bindAddress)
      throws IOException {
    this.config = config;
    this.clock = clock;
    this.s3 = new S3Sandbox(config, clock);
    this.rds = new RdsSandbox(config, clock, accounts);
    this.route53 = new Route53Sandbox(config, clock, accounts);
    this.faults = new Faults(config.seed());
    this.server = HttpServer.create(new InetSocketAddress(bindAddress, config.port()), 128);
    this.executor = Executors.newCachedThreadPool(daemonThreads());
    server.setExecutor(executor);
    Map<String, ServiceHandler> handlers =
        Map.of(
            "s3",
            new S3Handler(s3),
            "rds",
            new RdsHandler(rds),
            "route53",
            new Route53Handler(route53),
            "sts",
            new StsHandler(accounts, Clock.systemUTC()),
            "kms",
            new KmsHandler(accounts));
    server.createContext(
        "/",
        new SandboxDispatcher(
            handlers, new AdminHandler(this, adminToken), faults, calls, accounts));
    InetSocketAddress bound = server.getAddress();
    // Bound to every interface (a container's network), this process still calls it on loopback.
    InetAddress local =
        bound.getAddress().isAnyLocalAddress()
            ? InetAddress.getLoopbackAddress()
            : bound.getAddress();
    this.endpoint = URI.create("http://" + local.getHostAddress() + ":" + bound.getPort());
  }

  /** Starts on 127.0.0.1 (port 0 = a free port) with the system clock. */
  public static AwsSandbox start(SandboxConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** Starts with {@code clock} as the base of {@link #clock()} (tests may pass a fixed clock). */
  public static AwsSandbox start(SandboxConfig config, Clock clock) {
    return start(config, clock, InetAddress.getLoopbackAddress());
  }

  /**
   * Starts listening on {@code bindAddress}: loopback everywhere but inside a container network
   * ({@code SandboxMain --bind 0.0.0.0}, the compose sandbox profile), where other containers must
   * reach it.
   */
  public static AwsSandbox start(SandboxConfig config, Clock clock, InetAddress bindAddress) {
    try {
      AwsSandbox sandbox = new AwsSandbox(config, SandboxClock.over(clock), bindAddress);
      sandbox.server.start();
      log.info(
          "{} listening on {} (S3 path-style, RDS and STS Query, Route53 REST-XML; any credentials; "
              + "admin API at {}/_sandbox/)",
          SERVER_NAME,
          sandbox.listeningOn(),
          sandbox.endpoint);
      return sandbox;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the AWS sandbox (test double) could not bind "
              + bindAddress.getHostAddress()
              + ":"
              + config.port(),
          e);
    }
  }

  /**
   * {@code http://127.0.0.1:<port>}: the SDK's {@code endpointOverride} (S3 needs {@code
   * forcePathStyle}) in this process; from another container, the sandbox's host name with the same
   * port.
   */
  public URI endpoint() {
    return endpoint;
  }

  /** The address and port the server is bound to ({@code 0.0.0.0:4599} in a container). */
  public InetSocketAddress listeningOn() {
    return server.getAddress();
  }

  /**
   * This start's secret for the admin API: every {@code /_sandbox/} request must send it in {@link
   * #ADMIN_TOKEN_HEADER}, or it is refused with 403 and does nothing. Random per start.
   */
  public String adminToken() {
    return adminToken;
  }

  public S3Sandbox s3() {
    return s3;
  }

  /**
   * The accounts the sandbox hosts, the roles STS AssumeRole may assume into them, their KMS keys.
   */
  public SandboxAccounts accounts() {
    return accounts;
  }

  /**
   * RDS state and admin API (seed clusters, bind them to a local MariaDB, script upgrade failures).
   */
  public RdsSandbox rds() {
    return rds;
  }

  /** Route53 state and admin API (private zones, record values, scripted change failures). */
  public Route53Sandbox route53() {
    return route53;
  }

  public CallLog calls() {
    return calls;
  }

  public Faults faults() {
    return faults;
  }

  /** The sandbox clock; {@link SandboxClock#advance} moves restores and expiries forward. */
  public SandboxClock clock() {
    return clock;
  }

  public SandboxConfig config() {
    return config;
  }

  @Override
  public void close() {
    server.stop(0);
    rds.close();
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("{} on {} stopped", SERVER_NAME, endpoint);
  }

  private static String newAdminToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "aws-sandbox-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
