package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("devstack")
class DevServerTest {

  @Test
  void givenDevServer_whenStarted_thenTemporalAndSandboxListenOnLoopbackOnly() throws Exception {
    try (DevServer dev = DevServer.start(0, 0)) {
      InetSocketAddress temporal = dev.temporalSocketAddress();
      assertTrue(temporal.getAddress().isLoopbackAddress(), "Temporal bound to " + temporal);
      assertTrue(!temporal.getAddress().isAnyLocalAddress(), "Temporal bound to every interface");
      assertTrue(
          InetAddress.getByName(dev.sandboxEndpoint().getHost()).isLoopbackAddress(),
          "sandbox at " + dev.sandboxEndpoint());

      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(dev.temporalAddress()).build());
      try {
        stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      } finally {
        stubs.shutdownNow();
      }
    }
  }

  @Test
  void givenPortInUse_whenStarted_thenMessageNamesThePort() throws Exception {
    try (DevServer first = DevServer.start(0, 0)) {
      int port = first.temporalSocketAddress().getPort();
      var e = assertThrows(java.io.UncheckedIOException.class, () -> DevServer.start(port, 0));
      assertTrue(e.getMessage().contains(":" + port), e.getMessage());
    }
  }
}
