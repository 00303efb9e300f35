package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DevServerTest {

  @Test
  void givenDevServer_whenStarted_thenTemporalAndSandboxListenOnLoopbackOnly() throws Exception {
    try (DevServer dev = DevServer.start(0, 0)) {
      InetSocketAddress temporal = dev.temporalSocketAddress();
      assertTrue(temporal.getAddress().isLoopbackAddress(), "Temporal bound to " + temporal);
      assertTrue(InetAddress.getByName(dev.sandboxEndpoint().getHost()).isLoopbackAddress(),
          "sandbox at " + dev.sandboxEndpoint());

      WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(dev.temporalAddress()).build());
      try {
        stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      } finally {
        stubs.shutdownNow();
      }

      // Nothing answers on this machine's other addresses (when it has any).
      Optional<InetAddress> external = nonLoopbackAddress();
      if (external.isPresent()) {
        assertThrows(IOException.class, () -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(external.get(), temporal.getPort()), 1000);
          }
        }, "Temporal must not answer on " + external.get());
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

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) continue;
      List<InetAddress> addresses = Collections.list(nic.getInetAddresses());
      for (InetAddress a : addresses) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
