package dev.dbops.starter;

import dev.dbops.client.DbopsConfig;
import dev.dbops.client.TemporalConnection;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One CLI invocation's connection to Temporal. */
final class Session implements AutoCloseable {
  /** A status query waits this long for a worker before the CLI reports "no answer". */
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final DbopsConfig config;
  private final WorkflowServiceStubs stubs;
  private final EventLoopGroup loop;
  private DataConverter dataConverter;
  private WorkflowClient client;

  private Session(DbopsConfig config, WorkflowServiceStubs stubs, EventLoopGroup loop) {
    this.config = config;
    this.stubs = stubs;
    this.loop = loop;
  }

  /**
   * Stubs whose channel runs on an event loop of the session's own, ended by {@link #close}: gRPC's
   * shared loop outlives the channel by a second, and a thread still waiting in epoll when the JVM
   * exits holds the exit up for 300 ms (the VM waits for threads in native code).
   */
  static Session open(DbopsConfig config) {
    EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("dbops-grpc", true));
    WorkflowServiceStubs stubs =
        TemporalConnection.stubs(
            config,
            null,
            builder -> {
              if (builder instanceof NettyChannelBuilder netty) {
                netty.eventLoopGroup(loop).channelType(NioSocketChannel.class);
              }
            });
    try {
      TemporalConnection.checkReachable(stubs, config, CONNECT_TIMEOUT);
    } catch (TemporalConnection.UnreachableException e) {
      stubs.shutdownNow();
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
    return new Session(config, stubs, loop);
  }

  DbopsConfig config() {
    return config;
  }

  WorkflowServiceStubs stubs() {
    return stubs;
  }

  /**
   * The SDK's client, made at first use: a command that only describes and queries through {@link
   * #stubs} (status) does without its classes and its identity's host-name lookup. Synchronized:
   * status asks two queries at once.
   */
  synchronized WorkflowClient client() {
    if (client == null) client = TemporalConnection.client(stubs, config, dataConverter());
    return client;
  }

  /** How payloads read and write: {@link TemporalConnection#dataConverter}, the client's own. */
  synchronized DataConverter dataConverter() {
    if (dataConverter == null) dataConverter = TemporalConnection.dataConverter(config);
    return dataConverter;
  }

  Runs runs() {
    return new Runs(this);
  }

  @Override
  public void close() {
    stubs.shutdown();
    stubs.awaitTermination(2, TimeUnit.SECONDS);
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
  }
}
