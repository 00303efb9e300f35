package dev.dbops.starter;

import com.google.protobuf.Timestamp;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.schedule.v1.ScheduleActionResult;
import io.temporal.api.schedule.v1.ScheduleInfo;
import io.temporal.api.schedule.v1.ScheduleListEntry;
import io.temporal.api.schedule.v1.ScheduleListInfo;
import io.temporal.api.workflowservice.v1.CreateScheduleRequest;
import io.temporal.api.workflowservice.v1.CreateScheduleResponse;
import io.temporal.api.workflowservice.v1.DeleteScheduleRequest;
import io.temporal.api.workflowservice.v1.DeleteScheduleResponse;
import io.temporal.api.workflowservice.v1.DescribeScheduleRequest;
import io.temporal.api.workflowservice.v1.DescribeScheduleResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.ListSchedulesRequest;
import io.temporal.api.workflowservice.v1.ListSchedulesResponse;
import io.temporal.api.workflowservice.v1.PatchScheduleRequest;
import io.temporal.api.workflowservice.v1.PatchScheduleResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test double of the Temporal frontend's schedule calls only — NOT Temporal: it schedules
 * nothing. It records the requests the CLI (through the SDK's ScheduleClient) sends, keeps the
 * created schedules, and answers describe / list with them plus fixed next and recent run times, so
 * the CLI's wire requests and its reading of the answers can be checked where no real server runs.
 * Unknown ids are NOT_FOUND and a second create ALREADY_EXISTS, as on the real server.
 */
final class ScheduleRecordingFrontend extends WorkflowServiceGrpc.WorkflowServiceImplBase
    implements AutoCloseable {
  static final Instant NEXT = Instant.parse("2026-01-11T18:00:00Z");
  static final Instant LAST = Instant.parse("2026-01-04T18:00:00Z");

  final Map<String, CreateScheduleRequest> schedules = new ConcurrentHashMap<>();
  final List<Object> requests = new CopyOnWriteArrayList<>();
  private final Server server;

  ScheduleRecordingFrontend() {
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .addService(this)
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String address() {
    InetSocketAddress a = (InetSocketAddress) server.getListenSockets().get(0);
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  @Override
  public void getSystemInfo(
      GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> out) {
    out.onNext(GetSystemInfoResponse.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void createSchedule(
      CreateScheduleRequest request, StreamObserver<CreateScheduleResponse> out) {
    requests.add(request);
    if (schedules.putIfAbsent(request.getScheduleId(), request) != null) {
      out.onError(
          Status.ALREADY_EXISTS.withDescription("schedule already exists").asRuntimeException());
      return;
    }
    out.onNext(CreateScheduleResponse.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void describeSchedule(
      DescribeScheduleRequest request, StreamObserver<DescribeScheduleResponse> out) {
    requests.add(request);
    CreateScheduleRequest created = schedules.get(request.getScheduleId());
    if (created == null) {
      out.onError(Status.NOT_FOUND.withDescription("schedule not found").asRuntimeException());
      return;
    }
    String workflowId = created.getSchedule().getAction().getStartWorkflow().getWorkflowId();
    out.onNext(
        DescribeScheduleResponse.newBuilder()
            .setSchedule(created.getSchedule())
            .setInfo(
                ScheduleInfo.newBuilder()
                    .setActionCount(1)
                    .addRecentActions(
                        ScheduleActionResult.newBuilder()
                            .setScheduleTime(ts(LAST))
                            .setActualTime(ts(LAST.plusSeconds(1)))
                            .setStartWorkflowResult(
                                WorkflowExecution.newBuilder()
                                    .setWorkflowId(workflowId + "-" + LAST)
                                    .setRunId("run-1")))
                    .addFutureActionTimes(ts(NEXT))
                    .setCreateTime(ts(LAST.minusSeconds(86_400))))
            .build());
    out.onCompleted();
  }

  @Override
  public void listSchedules(
      ListSchedulesRequest request, StreamObserver<ListSchedulesResponse> out) {
    requests.add(request);
    ListSchedulesResponse.Builder response = ListSchedulesResponse.newBuilder();
    for (CreateScheduleRequest created : schedules.values()) {
      var s = created.getSchedule();
      response.addSchedules(
          ScheduleListEntry.newBuilder()
              .setScheduleId(created.getScheduleId())
              .setInfo(
                  ScheduleListInfo.newBuilder()
                      .setSpec(s.getSpec())
                      .setWorkflowType(s.getAction().getStartWorkflow().getWorkflowType())
                      .setNotes(s.getState().getNotes())
                      .setPaused(s.getState().getPaused())
                      .addFutureActionTimes(ts(NEXT))));
    }
    out.onNext(response.build());
    out.onCompleted();
  }

  @Override
  public void patchSchedule(
      PatchScheduleRequest request, StreamObserver<PatchScheduleResponse> out) {
    requests.add(request);
    if (!schedules.containsKey(request.getScheduleId())) {
      out.onError(Status.NOT_FOUND.withDescription("schedule not found").asRuntimeException());
      return;
    }
    out.onNext(PatchScheduleResponse.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void deleteSchedule(
      DeleteScheduleRequest request, StreamObserver<DeleteScheduleResponse> out) {
    requests.add(request);
    if (schedules.remove(request.getScheduleId()) == null) {
      out.onError(Status.NOT_FOUND.withDescription("schedule not found").asRuntimeException());
      return;
    }
    out.onNext(DeleteScheduleResponse.getDefaultInstance());
    out.onCompleted();
  }

  <T> List<T> requests(Class<T> type) {
    return requests.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static Timestamp ts(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
