package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.metadata.POJOWorkflowImplMetadata;
import io.temporal.internal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.WorkerFactoryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every kept history replays with the one-run-per-target interceptor installed, every procedure
 * naming a target: runs recorded before locks existed carry no version marker and take no lock.
 */
class TargetLockReplayTest {
  @Test
  void givenHistoriesRecordedBeforeLocks_whenReplayedWithTheInterceptor_thenStillCompatible() throws Exception {
    Map<String, Function<Object, List<String>>> byType = new HashMap<>();
    for (Class<?> impl : HistoryReplayTest.IMPLS.values()) {
      POJOWorkflowImplMetadata.newInstance(impl).getWorkflowMethods()
          .forEach(m -> byType.put(m.getName(), request -> List.of("cluster/replayed")));
    }
    TestEnvironmentOptions options = TestEnvironmentOptions.newBuilder()
        .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
            .setWorkerInterceptors(new TargetLockInterceptor(byType)).build())
        .build();
    List<Path> files;
    try (Stream<Path> s = Files.list(HistoryReplayTest.DIR)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(files.size() >= 3);
    for (Path f : files) {
      Class<?> impl = HistoryReplayTest.IMPLS.entrySet().stream()
          .filter(e -> f.getFileName().toString().startsWith(e.getKey())).map(Map.Entry::getValue)
          .findFirst().orElseThrow();
      try (TestWorkflowEnvironment replayEnv = TestWorkflowEnvironment.newInstance(options)) {
        WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(Files.readString(f)), replayEnv, impl);
      }
    }
  }
}
