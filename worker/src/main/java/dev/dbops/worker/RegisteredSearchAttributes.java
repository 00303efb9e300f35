package dev.dbops.worker;

import dev.dbops.workflows.common.SearchAttributesInterceptor;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of dbops' search attributes the namespace has (OperatorService ListSearchAttributes), asked
 * when a run starts and kept for a minute: a namespace registered after the worker started is seen
 * without a restart. A server that does not answer (the dev server's test server, an outage) counts
 * as none registered, unless a dev server in this JVM registered them itself: runs then carry no
 * attributes rather than fail their workflow task on an unregistered one.
 */
final class RegisteredSearchAttributes implements Supplier<Set<String>> {
  private static final Logger log = LoggerFactory.getLogger(RegisteredSearchAttributes.class);
  static final Duration KEEP = Duration.ofMinutes(1);

  /**
   * What a server running in this JVM registered itself (dev mode's DevServer: the Java test server
   * answers no ListSearchAttributes), used when the server cannot list them.
   */
  static volatile Set<String> registeredInProcess = Set.of();

  private final WorkflowServiceStubs stubs;
  private final String namespace;
  private volatile Set<String> known;
  private long askedAt;
  private boolean asking;

  /** Asks at once (the worker's start); later asks run in the background. */
  RegisteredSearchAttributes(WorkflowServiceStubs stubs, String namespace) {
    this.stubs = stubs;
    this.namespace = namespace;
    this.known = ask();
    this.askedAt = System.nanoTime();
  }

  /**
   * The names last listed. Called from workflow code (in a side effect), which must not block on
   * the network: a list older than {@link #KEEP} is asked for again in the background.
   */
  @Override
  public Set<String> get() {
    synchronized (this) {
      if (!asking && System.nanoTime() - askedAt > KEEP.toNanos()) {
        asking = true;
        java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              Set<String> now = ask();
              synchronized (this) {
                known = now;
                askedAt = System.nanoTime();
                asking = false;
              }
            });
      }
    }
    return known;
  }

  private Set<String> ask() {
    try {
      OperatorServiceStubs operator =
          OperatorServiceStubs.newServiceStubs(
              OperatorServiceStubsOptions.newBuilder(stubs.getOptions())
                  .setChannel(stubs.getRawChannel())
                  .build());
      var custom =
          operator
              .blockingStub()
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .listSearchAttributes(
                  ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
              .getCustomAttributesMap();
      Set<String> out = new HashSet<>();
      for (SearchAttributeKey<?> k : SearchAttributesInterceptor.ALL) {
        if (custom.containsKey(k.getName())) out.add(k.getName());
      }
      if (out.size() < SearchAttributesInterceptor.ALL.size()) {
        log.warn(
            "namespace {} has {} of dbops' {} search attributes; runs carry only those (register them with"
                + " deploy/temporal/scripts/create-namespace.sh)",
            namespace,
            out.size(),
            SearchAttributesInterceptor.ALL.size());
      }
      return Set.copyOf(out);
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED
          && !registeredInProcess.isEmpty()) {
        return registeredInProcess;
      }
      log.warn(
          "cannot list the search attributes of namespace {} ({}); runs carry none",
          namespace,
          e.toString());
      return Set.of();
    } catch (RuntimeException e) {
      log.warn(
          "cannot list the search attributes of namespace {} ({}); runs carry none",
          namespace,
          e.toString());
      return Set.of();
    }
  }
}
