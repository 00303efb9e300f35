package dev.dbops.client;

import com.uber.m3.tally.Scope;
import dev.dbops.client.codec.AesGcmPayloadCodec;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Service stubs and clients built from {@link DbopsConfig}: plain, mTLS or API key; payloads
 * encrypted with AES-256-GCM when payload keys are configured.
 */
public final class TemporalConnection {
  private TemporalConnection() {}

  /** Raised when the frontend does not answer; the message says where we looked. */
  public static final class UnreachableException extends RuntimeException {
    public UnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Stubs for {@code config}; {@code metricsScope} may be null (no SDK metrics). */
  public static WorkflowServiceStubs stubs(DbopsConfig config, Scope metricsScope) {
    return stubs(config, metricsScope, null);
  }

  /** As {@link #stubs(DbopsConfig, Scope)}, the gRPC channel's builder given to {@code channel}. */
  public static WorkflowServiceStubs stubs(
      DbopsConfig config, Scope metricsScope, Consumer<ManagedChannelBuilder<?>> channel) {
    WorkflowServiceStubsOptions.Builder options =
        WorkflowServiceStubsOptions.newBuilder().setTarget(config.temporalAddress());
    if (channel != null) {
      options.setChannelInitializer(channel);
    }
    if (metricsScope != null) {
      options.setMetricsScope(metricsScope);
    }
    if (config.tlsCert() != null) {
      try (InputStream cert = Files.newInputStream(config.tlsCert());
          InputStream key = Files.newInputStream(config.tlsKey())) {
        options.setSslContext(SimpleSslContextBuilder.forPKCS8(cert, key).build());
      } catch (IOException e) {
        throw new DbopsConfig.InvalidConfigException(
            DbopsConfig.TEMPORAL_TLS_CERT
                + "/"
                + DbopsConfig.TEMPORAL_TLS_KEY
                + ": cannot use "
                + config.tlsCert()
                + " / "
                + config.tlsKey()
                + ": "
                + e.getMessage());
      }
    }
    if (config.apiKey() != null) {
      String key = config.apiKey();
      options.addApiKey(() -> key);
      if (config.tlsCert() == null) {
        options.setEnableHttps(true);
      }
    }
    return WorkflowServiceStubs.newServiceStubs(options.build());
  }

  /** A client whose payloads go through {@link #dataConverter} (encrypted when configured). */
  public static WorkflowClient client(WorkflowServiceStubs stubs, DbopsConfig config) {
    return client(stubs, config, dataConverter(config));
  }

  /** A client on {@code config}'s namespace whose payloads go through {@code converter}. */
  public static WorkflowClient client(
      WorkflowServiceStubs stubs, DbopsConfig config, DataConverter converter) {
    return WorkflowClient.newInstance(
        stubs,
        WorkflowClientOptions.newBuilder()
            .setNamespace(config.namespace())
            .setDataConverter(converter)
            .build());
  }

  /**
   * The SDK's default converter (JSON for our records), wrapped in the AES-GCM payload codec when
   * {@code config} has payload keys. Failure messages and stack traces are left as they are
   * (Temporal's default), so they stay readable in the UI and in {@code dbops report}.
   */
  public static DataConverter dataConverter(DbopsConfig config) {
    DataConverter json = GlobalDataConverter.get();
    if (!config.encryptsPayloads()) return json;
    return new CodecDataConverter(json, List.of(new AesGcmPayloadCodec(config.payloadKeys())));
  }

  /**
   * One cheap call with a short deadline, so a missing server is reported at once instead of after
   * the SDK's long retry loop.
   */
  public static void checkReachable(
      WorkflowServiceStubs stubs, DbopsConfig config, Duration timeout) {
    try {
      stubs
          .blockingStub()
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.UNIMPLEMENTED) return; // answered, just not this call
      throw new UnreachableException(
          "cannot reach Temporal at "
              + config.temporalAddress()
              + " ("
              + code
              + (e.getStatus().getDescription() == null
                  ? ""
                  : ": " + e.getStatus().getDescription())
              + "); start it with `./dbops dev` or set "
              + DbopsConfig.TEMPORAL_ADDRESS,
          e);
    }
  }

  /** True when {@code t} (or a cause) is the frontend being unreachable. */
  public static boolean isUnreachable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusRuntimeException s) {
        Status.Code code = s.getStatus().getCode();
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
      }
    }
    return false;
  }
}
