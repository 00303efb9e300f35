package dev.dbops.workflows.common;

/**
 * The run holding a target: its workflow id (which a continue-as-new keeps) and the first run id of
 * that id's chain (so a later run that reuses the workflow id is not taken for the holder).
 *
 * @param target what is held, as {@link TargetLocks} names it
 */
public record LockHolder(
    String target, String workflowId, String firstRunId, String workflowType) {}
