package dev.dbops.workflows.common;

import java.util.List;

/** What a run tells people when it starts or stops waiting for them. */
public record WaitNotice(
    String workflowId, String procedure, String step, String waitingFor, List<String> approvers,
    String command, boolean waiting) {}
