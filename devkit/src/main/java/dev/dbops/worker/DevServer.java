package dev.dbops.worker;

import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.RdsTimings;
import dev.dbops.sandbox.SandboxConfig;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dev mode's servers, on loopback only: the Temporal Java test server (in memory: it keeps nothing
 * across its own restart) and the AWS sandbox (a test double, never AWS).
 *
 * <p>{@code io.temporal.testserver.TestServer <port>} binds every interface, so the test server's
 * services are mounted on our own gRPC server bound to the loopback address.
 */
public final class DevServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DevServer.class);

  /**
   * {@code TestServicesStarter(lockTimeSkipping, initialTimeMillis)}: {@code true} locks time
   * skipping, so workflow timers run on the wall clock as on a real server (what {@code
   * TestServer.main} does without {@code --enable-time-skipping}); 0 starts the workflow clock at
   * the current time.
   */
  static final boolean LOCK_TIME_SKIPPING = true;

  private final TestServicesStarter services;
  private final Server grpc;
  private final AwsSandbox sandbox;

  private DevServer(TestServicesStarter services, Server grpc, AwsSandbox sandbox) {
    this.services = services;
    this.grpc = grpc;
    this.sandbox = sandbox;
  }

  /**
   * Starts both servers on 127.0.0.1 (or the JVM's loopback address), with the sandbox's default
   * RDS timings.
   *
   * @param temporalPort 0 picks a free port
   * @param sandboxPort 0 picks a free port
   */
  public static DevServer start(int temporalPort, int sandboxPort) {
    return start(temporalPort, sandboxPort, RdsTimings.defaults());
  }

  /**
   * As {@link #start(int, int)}, with how long the sandbox's RDS snapshots, upgrades, restores and
   * instance creations take (on the wall clock).
   */
  public static DevServer start(int temporalPort, int sandboxPort, RdsTimings rdsTimings) {
    TestServicesStarter services = new TestServicesStarter(LOCK_TIME_SKIPPING, 0L);
    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), temporalPort);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address);
    registerSearchAttributes(services);
    for (BindableService s : services.getServices()) {
      builder.addService(s);
    }
    Server grpc;
    try {
      grpc = builder.build().start();
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException(
          "cannot listen on "
              + address.getAddress().getHostAddress()
              + ":"
              + temporalPort
              + " for the Temporal test server: "
              + rootMessage(e),
          e);
    }
    AwsSandbox sandbox;
    try {
      sandbox =
          AwsSandbox.start(
              SandboxConfig.defaults().withPort(sandboxPort).withRdsTimings(rdsTimings));
    } catch (RuntimeException e) {
      grpc.shutdownNow();
      services.close();
      throw e;
    }
    DevServer dev = new DevServer(services, grpc, sandbox);
    log.info(
        "Temporal test server (in memory) on {}; AWS sandbox (test double) on {}",
        dev.temporalAddress(),
        dev.sandboxEndpoint());
    return dev;
  }

  /** host:port for TEMPORAL_ADDRESS. */
  public String temporalAddress() {
    InetSocketAddress a = temporalSocketAddress();
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  /** The address the gRPC server actually listens on. */
  public InetSocketAddress temporalSocketAddress() {
    return (InetSocketAddress) grpc.getListenSockets().get(0);
  }

  /** For DBOPS_AWS_ENDPOINT. */
  public URI sandboxEndpoint() {
    return sandbox.endpoint();
  }

  public AwsSandbox sandbox() {
    return sandbox;
  }

  @Override
  public void close() {
    grpc.shutdownNow();
    try {
      grpc.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.close();
    sandbox.close();
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) c = c.getCause();
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }

  /**
   * Registers dbops' search attributes on the test server, and tells this JVM's worker so: the test
   * server answers no ListSearchAttributes ({@link RegisteredSearchAttributes}).
   */
  static void registerSearchAttributes(TestServicesStarter services) {
    var request =
        io.temporal.api.operatorservice.v1.AddSearchAttributesRequest.newBuilder()
            .setNamespace("default");
    java.util.Set<String> names = new java.util.HashSet<>();
    for (io.temporal.common.SearchAttributeKey<?> k :
        dev.dbops.workflows.common.SearchAttributesInterceptor.ALL) {
      request.putSearchAttributes(k.getName(), k.getValueType());
      names.add(k.getName());
    }
    try {
      ((io.temporal.api.operatorservice.v1.OperatorServiceGrpc.OperatorServiceImplBase)
              services.getOperatorService())
          .addSearchAttributes(
              request.build(),
              new io.grpc.stub.StreamObserver<>() {
                @Override
                public void onNext(
                    io.temporal.api.operatorservice.v1.AddSearchAttributesResponse r) {}

                @Override
                public void onError(Throwable t) {
                  log.warn("dev server: search attributes not registered: {}", t.toString());
                }

                @Override
                public void onCompleted() {
                  RegisteredSearchAttributes.registeredInProcess = java.util.Set.copyOf(names);
                }
              });
    } catch (RuntimeException e) {
      log.warn("dev server: search attributes not registered: {}", e.toString());
    }
  }
}
