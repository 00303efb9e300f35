package dev.dbops.workflows.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.dbops.workflows.common.DbLogin;
import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JournalExportWorkflowTest {
  private static final DbLogin ADMIN = new DbLogin("admin", "env:DB_ADMIN_PASSWORD");
  private static final DbTarget REPLICA = new DbTarget("10.0.0.2", 3306, ADMIN);
  private static final DbTarget SOURCE = new DbTarget("10.0.0.1", 3306, ADMIN);

  TestWorkflowEnvironment env;
  ReplicationActivities replication;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker w = env.newWorker("q");
    w.registerWorkflowImplementationTypes(JournalExportWorkflowImpl.class);
    replication = mock(ReplicationActivities.class, withSettings().withoutAnnotations());
    w.registerActivitiesImplementations(replication);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private JournalExportWorkflow workflow() {
    return env.getWorkflowClient()
        .newWorkflowStub(
            JournalExportWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue("q")
                .setWorkflowId("journal-export/binlog/x/0/1")
                .build());
  }

  @Test
  void givenAPageOnTheReplica_whenExported_thenThePageIsTheResult() {
    JournalEntry e =
        new JournalEntry(
            7,
            new BinlogPosition("mysql-bin.000001", 120),
            "relay-bin.000002:4",
            1062,
            "Duplicate entry",
            List.of("Write_rows: app.orders (1 row)"),
            "SKIPPED",
            "policy",
            "2024-01-01T00:00:00.000Z");
    JournalPageRequest request = new JournalPageRequest(REPLICA, SOURCE, "binlog/x", 6, 200);
    when(replication.journalPage(any())).thenReturn(new JournalPage(List.of(e), true));

    JournalPage page = workflow().run(request);

    assertEquals(new JournalPage(List.of(e), true), page);
    verify(replication).journalPage(request);
  }

  @Test
  void givenALimitOutOfRange_whenExported_thenInvalidInputAndNoActivity() {
    JournalPageRequest request =
        new JournalPageRequest(REPLICA, SOURCE, "binlog/x", 0, JournalPage.MAX_LIMIT + 1);

    WorkflowFailedException f =
        assertThrows(WorkflowFailedException.class, () -> workflow().run(request));

    ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, f.getCause());
    assertEquals(ErrorTypes.INVALID_INPUT, af.getType());
    assertTrue(af.getOriginalMessage().contains("limit: must be 1..500"), af.getOriginalMessage());
    verifyNoInteractions(replication);
  }

  @Test
  void
      givenAReplicaThatRefusesConnections_whenExported_thenTheConnectErrorWithinThePageBoundAndNoMoreAttempts() {
    JournalPageRequest request = new JournalPageRequest(REPLICA, SOURCE, "binlog/x", 0, 200);
    when(replication.journalPage(any()))
        .thenThrow(
            ApplicationFailure.newFailure(
                "connect to 10.0.0.2:3306 as admin: Connection refused", "DbUnreachable"));

    WorkflowFailedException f =
        assertThrows(WorkflowFailedException.class, () -> workflow().run(request));

    ApplicationFailure af =
        assertInstanceOf(
            ApplicationFailure.class,
            assertInstanceOf(ActivityFailure.class, f.getCause()).getCause());
    assertEquals("DbUnreachable", af.getType());
    verify(replication, times(3)).journalPage(request);
  }
}
