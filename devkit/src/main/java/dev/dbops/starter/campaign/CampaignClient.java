package dev.dbops.starter.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbops.client.DbopsConfig;
import dev.dbops.client.TemporalConnection;
import dev.dbops.starter.DbopsCli;
import dev.dbops.workflows.common.Approval;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * How the campaign talks to Temporal: the {@code dbops} CLI in-process for what an operator does
 * (start, approve, result), and raw calls for what it watches (status, pending activity attempts)
 * and for a signal sent without waiting for the run to confirm it.
 */
public final class CampaignClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long QUERY_DEADLINE_MS = 3000;

  /** What one CLI invocation printed and returned. */
  public record CliResult(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit "
          + exit
          + (out.isBlank() ? "" : "\n" + out.strip())
          + (err.isBlank() ? "" : "\n" + err.strip());
    }
  }

  private final String address;
  private final String taskQueue;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;

  public CampaignClient(String address, String taskQueue) {
    this.address = address;
    this.taskQueue = taskQueue;
    DbopsConfig config = DbopsConfig.from(Map.of(DbopsConfig.TEMPORAL_ADDRESS, address));
    this.stubs = TemporalConnection.stubs(config, null);
    this.client = TemporalConnection.client(stubs, config);
  }

  /** {@code dbops <args> --address … --task-queue …}, in-process, output captured. */
  public CliResult cli(List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--address", address, "--task-queue", taskQueue));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] argv = all.toArray(String[]::new);
    CommandLine cli = DbopsCli.commandLine(argv);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(argv);
    return new CliResult(exit, out.toString(), err.toString());
  }

  public CliResult cli(String... args) {
    return cli(List.of(args));
  }

  /**
   * The run's {@code status()}, or empty when no worker answered within 3 s (none alive, or busy).
   */
  public Optional<JsonNode> status(String id) {
    QueryWorkflowResponse response;
    try {
      response =
          stubs
              .blockingStub()
              .withDeadlineAfter(QUERY_DEADLINE_MS, TimeUnit.MILLISECONDS)
              .queryWorkflow(
                  QueryWorkflowRequest.newBuilder()
                      .setNamespace("default")
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                      .setQuery(WorkflowQuery.newBuilder().setQueryType("status"))
                      .build());
    } catch (StatusRuntimeException e) {
      return Optional.empty();
    }
    if (response.hasQueryRejected() || !response.hasQueryResult()) return Optional.empty();
    return Optional.ofNullable(
        client
            .getOptions()
            .getDataConverter()
            .fromPayloads(
                0, Optional.of(response.getQueryResult()), JsonNode.class, JsonNode.class));
  }

  /** The phase {@code status()} reports, or "" when nobody answered. */
  public String phase(String id) {
    return status(id).map(s -> s.path("phase").asText("")).orElse("");
  }

  private DescribeWorkflowExecutionResponse describe(String id) {
    return stubs
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace("default")
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                .build());
  }

  public boolean running(String id) {
    return describe(id).getWorkflowExecutionInfo().getStatus()
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  /** The current attempt of the pending {@code activityType} (0 when none is scheduled). */
  public int pendingAttempt(String id, String activityType) {
    return describe(id).getPendingActivitiesList().stream()
        .filter(a -> a.getActivityType().getName().equals(activityType))
        .mapToInt(PendingActivityInfo::getAttempt)
        .max()
        .orElse(0);
  }

  /** The approve signal, sent as any client would, without waiting for the run to record it. */
  public void signalApprove(String id, String by, String comment) {
    client.newUntypedWorkflowStub(id).signal("approve", new Approval(by, comment));
  }

  @Override
  public void close() {
    stubs.shutdownNow();
    stubs.awaitTermination(2, TimeUnit.SECONDS);
  }
}
