package dev.dbops.worker;

import dev.dbops.workflows.binlog.BinlogCatchUpWorkflow;
import dev.dbops.workflows.binlog.BinlogCatchUpWorkflowImpl;
import dev.dbops.workflows.binlog.JournalExportWorkflowImpl;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.common.TargetLockWorkflowImpl;
import dev.dbops.workflows.migration.AuroraMigrationWorkflow;
import dev.dbops.workflows.migration.AuroraMigrationWorkflowImpl;
import dev.dbops.workflows.restore.GlacierRestoreWorkflow;
import dev.dbops.workflows.restore.GlacierRestoreWorkflowImpl;
import dev.dbops.workflows.staging.StagingRebuildWorkflow;
import dev.dbops.workflows.staging.StagingRebuildWorkflowImpl;
import dev.dbops.workflows.upgrade.UpgradeRollbackWorkflow;
import dev.dbops.workflows.upgrade.UpgradeRollbackWorkflowImpl;
import dev.dbops.workflows.upgrade.UpgradeWorkflow;
import dev.dbops.workflows.upgrade.UpgradeWorkflowImpl;
import java.util.List;
import java.util.Map;

/**
 * What the worker registers: the implementation of each procedure of the catalog (which names only
 * interfaces), and the helper workflows that are no procedure.
 */
public final class WorkflowImplementations {
  private WorkflowImplementations() {}

  private static final Map<Class<?>, Class<?>> BY_INTERFACE =
      Map.of(
          GlacierRestoreWorkflow.class, GlacierRestoreWorkflowImpl.class,
          UpgradeWorkflow.class, UpgradeWorkflowImpl.class,
          UpgradeRollbackWorkflow.class, UpgradeRollbackWorkflowImpl.class,
          BinlogCatchUpWorkflow.class, BinlogCatchUpWorkflowImpl.class,
          StagingRebuildWorkflow.class, StagingRebuildWorkflowImpl.class,
          AuroraMigrationWorkflow.class, AuroraMigrationWorkflowImpl.class);

  /**
   * Workflows the worker registers that are no procedure: the CLI runs them for reads only the
   * worker can make (the replica's journal table) or the worker starts them itself (a target's
   * lock), so they are not listed, counted or announced.
   */
  public static final List<Class<?>> HELPERS =
      List.of(JournalExportWorkflowImpl.class, TargetLockWorkflowImpl.class);

  /** The implementation of {@code procedure}; fails for a procedure this worker cannot run. */
  public static Class<?> of(Procedure<?> procedure) {
    Class<?> impl = BY_INTERFACE.get(procedure.workflowInterface());
    if (impl == null) {
      throw new IllegalStateException(
          "no implementation registered for "
              + procedure.name()
              + " ("
              + procedure.workflowInterface().getName()
              + ")");
    }
    return impl;
  }

  /** Every implementation the worker registers: one per procedure, then the helpers. */
  public static List<Class<?>> all() {
    return java.util.stream.Stream.concat(
            Procedures.ALL.stream().map(WorkflowImplementations::of), HELPERS.stream())
        .toList();
  }
}
