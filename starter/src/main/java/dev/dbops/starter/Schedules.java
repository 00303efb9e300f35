package dev.dbops.starter;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleHandle;
import java.util.function.Function;

/**
 * Calls on Temporal Schedules for one CLI invocation, with the server's refusals turned into the
 * CLI's exit codes: a server without schedules (the embedded dev server) exits 1 saying so, an
 * unknown or taken schedule id exits 2.
 */
final class Schedules {
  static final String UNSUPPORTED =
      "this Temporal server does not support schedules (the embedded"
          + " dev server does not); use a real server (docker compose up)";

  private final Session session;
  private final ScheduleClient client;

  Schedules(Session session) {
    this.session = session;
    this.client =
        ScheduleClient.newInstance(
            session.stubs(),
            ScheduleClientOptions.newBuilder().setNamespace(session.config().namespace()).build());
  }

  ScheduleClient client() {
    return client;
  }

  /** Runs {@code call} on the schedule {@code id}, mapping the server's refusals. */
  <T> T on(String id, Function<ScheduleHandle, T> call) {
    return call(id, () -> call.apply(client.getHandle(id)));
  }

  /** Runs {@code call} (about {@code id}, or null for list), mapping the server's refusals. */
  <T> T call(String id, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (ScheduleAlreadyRunningException e) {
      throw CliException.invalid(
          "schedule-id: a schedule '"
              + id
              + "' already exists in namespace '"
              + session.config().namespace()
              + "'; delete it first or pick another id");
    } catch (RuntimeException e) {
      throw translate(e, id, session.config().namespace());
    }
  }

  /** The CLI's exception for a refusal from the server; other failures come back unchanged. */
  static RuntimeException translate(RuntimeException e, String id, String namespace) {
    StatusRuntimeException status = statusOf(e);
    if (status == null) return e;
    Status.Code code = status.getStatus().getCode();
    if (code == Status.Code.UNIMPLEMENTED) return CliException.failed(UNSUPPORTED);
    if (code == Status.Code.NOT_FOUND && id != null) {
      return CliException.invalid(
          "schedule-id: no schedule '"
              + id
              + "' in namespace '"
              + namespace
              + "' (see `./dbops schedule list`)");
    }
    if (code == Status.Code.ALREADY_EXISTS && id != null) {
      return CliException.invalid(
          "schedule-id: a schedule '"
              + id
              + "' already exists in namespace '"
              + namespace
              + "'; delete it first or pick another id");
    }
    if (code == Status.Code.INVALID_ARGUMENT) {
      return CliException.invalid(
          "the server refused the schedule: " + status.getStatus().getDescription());
    }
    return e;
  }

  private static StatusRuntimeException statusOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusRuntimeException s) return s;
    }
    return null;
  }
}
