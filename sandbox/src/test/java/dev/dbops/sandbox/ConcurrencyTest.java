package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Many SDK calls at once, as a restore activity checking objects in batches makes them. */
class ConcurrencyTest {

  @Test
  void
      givenManyConcurrentClientsCalls_whenRestoringTheSameObjects_thenEachObjectStartsExactlyOneRestore()
          throws Exception {
    try (AwsSandbox sandbox = AwsSandbox.start(SandboxConfig.defaults());
        S3Client s3 = SandboxClients.s3WithoutRetries(sandbox)) {
      for (int i = 0; i < 20; i++) {
        sandbox.s3().putObject("busy", "obj-" + i, new byte[] {(byte) i}, "GLACIER");
      }
      AtomicInteger started = new AtomicInteger();
      AtomicInteger conflicts = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<?>> futures = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 20; i++) {
          String key = "obj-" + i;
          futures.add(
              pool.submit(
                  () -> {
                    try {
                      s3.restoreObject(
                          b -> b.bucket("busy").key(key).restoreRequest(r -> r.days(1)));
                      started.incrementAndGet();
                    } catch (S3Exception e) {
                      assertEquals("RestoreAlreadyInProgress", e.awsErrorDetails().errorCode());
                      conflicts.incrementAndGet();
                    }
                    s3.putObject(
                        b ->
                            b.bucket("busy")
                                .key("scratch/" + key + "-" + Thread.currentThread().getId()),
                        RequestBody.fromString(key));
                  }));
        }
      }
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();

      assertEquals(20, started.get());
      assertEquals(60, conflicts.get());
      assertEquals(80, sandbox.calls().count("RestoreObject"));
      assertEquals(80, sandbox.calls().count("PutObject"));
      assertEquals(
          160, sandbox.calls().all().stream().mapToLong(CallLog.Call::seq).distinct().count());
    }
  }
}
