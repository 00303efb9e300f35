package dev.dbops.worker;

import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.GlacierRestoreWorkflow;
import dev.dbops.workflows.restore.GlacierRestoreWorkflowImpl;
import dev.dbops.workflows.restore.RestorePhase;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The procedure catalog: what the worker registers and the CLI can start. */
public final class Procedures {
  private Procedures() {}

  public static final Procedure<GlacierRestoreRequest> GLACIER_RESTORE = new Procedure<>(
      RestorePhase.PROCEDURE,
      "Restore S3 objects from Glacier / Deep Archive, wait for them, deliver them",
      GlacierRestoreWorkflow.class,
      GlacierRestoreWorkflowImpl.class,
      GlacierRestoreRequest.class,
      GlacierRestoreRequest::problems,
      GlacierRestoreRequest::defaultWorkflowId,
      r -> r.toBuilder().dryRun(true).build(),
      Set.of(RestorePhase.VALIDATING, RestorePhase.LISTING, RestorePhase.ESTIMATING));

  public static final List<Procedure<?>> ALL = List.of(GLACIER_RESTORE);

  public static Optional<Procedure<?>> byName(String name) {
    return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The procedure a workflow type belongs to, for listings. */
  public static Optional<Procedure<?>> byWorkflowType(String workflowType) {
    return ALL.stream().filter(p -> p.workflowType().equals(workflowType)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(Procedure::name).toList();
  }
}
