package dev.dbops.workflows.common;

import io.temporal.common.metadata.POJOWorkflowImplMetadata;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.worker.WorkerFactoryOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every kept history replays with the one-run-per-target interceptor installed, every procedure
 * naming a target: runs recorded before locks existed carry no version marker and take no lock.
 */
class TargetLockReplayTest {
  @Test
  void givenHistoriesRecordedBeforeLocks_whenReplayedWithTheInterceptor_thenStillCompatible()
      throws Exception {
    Map<String, Function<Object, List<String>>> byType = new HashMap<>();
    for (Class<?> impl : HistoryReplayTest.IMPLS.values()) {
      POJOWorkflowImplMetadata.newInstance(impl)
          .getWorkflowMethods()
          .forEach(m -> byType.put(m.getName(), request -> List.of("cluster/replayed")));
    }
    TestEnvironmentOptions options =
        TestEnvironmentOptions.newBuilder()
            .setWorkerFactoryOptions(
                WorkerFactoryOptions.newBuilder()
                    .setWorkerInterceptors(new TargetLockInterceptor(byType))
                    .build())
            .build();
    HistoryReplayTest.replayEachWith(options);
  }
}
