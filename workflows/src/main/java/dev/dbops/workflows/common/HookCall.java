package dev.dbops.workflows.common;

import java.util.Map;

/**
 * One phase of one run, as hooks see it: {@code DBOPS_PROCEDURE}, {@code DBOPS_PHASE}, {@code
 * DBOPS_WORKFLOW_ID} and {@code DBOPS_<KEY>} per data entry in the environment, and the whole call
 * as JSON on stdin (or as the HTTP body).
 */
public record HookCall(
    String procedure, String phase, String workflowId, Map<String, String> data) {}
