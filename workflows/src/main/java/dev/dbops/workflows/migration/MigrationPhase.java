package dev.dbops.workflows.migration;

/** The phases {@code status()} reports for an Aurora migration, in the order a run meets them. */
public enum MigrationPhase {
  /** Read-only looks at the instance, its SQL side, the zone and the record: nothing changed. */
  VALIDATING,
  /** 5.6 source: waiting for the approval of the instance upgrade to 5.7. */
  AWAITING_UPGRADE_APPROVAL,
  /** 5.6 source: ModifyDBInstance to 5.7 and the wait for it. */
  UPGRADING_SOURCE,
  /** CreateDBCluster (read replica of the instance) and its instances, and the wait for them. */
  CREATING_REPLICA,
  /** Waiting for the replica cluster's lag to reach 0. */
  CATCHING_UP,
  /** Waiting for the cut-over approval. */
  AWAITING_APPROVAL,
  /** before-cutover hook, writes stopped on the source, lag 0 for the window. */
  CUTTING_OVER,
  /** PromoteReadReplicaDBCluster and the wait for the cluster to be available on its own. */
  PROMOTING,
  /** A write on the new writer. */
  VERIFYING,
  /** UPSERT of the CNAME to the cluster endpoint, wait INSYNC, after-cutover hook. */
  SWITCHING_DNS,
  /** Done; a person may still ask for the CNAME to go back to the source (abort). */
  REVERT_WINDOW,
  /** The CNAME is being put back to the source instance. */
  REVERTING,
  COMPLETED,
  /** The CNAME went back to the source after a failure or on request; the cluster is kept. */
  REVERTED,
  FAILED;

  /** The procedure's name (CLI, hooks, notices). */
  public static final String PROCEDURE = "aurora-migration";
}
