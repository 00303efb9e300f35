package dev.dbops.workflows.common;

import java.util.List;

/**
 * The part of every procedure's {@code status()} the skeleton keeps: one state, read at once.
 *
 * @param phase the phase enum's name
 * @param waitingFor what the run waits for (the approval gate's description while it waits), or
 *     null
 */
public record RunStatus(
    String phase,
    String waitingFor,
    List<String> approvers,
    List<String> warnings,
    List<ApprovalRecord> approvals,
    List<StepRecord> timeline) {}
