package dev.dbops.workflows.common;

import io.temporal.activity.ActivityInterface;

/**
 * The operator's own steps at named phases of a procedure (maintenance mode on, batches stopped,
 * triggers disabled…): commands in the worker's hooks directory, or an HTTP endpoint. Configured on
 * the worker, never in a request, so starting a run cannot run arbitrary code.
 */
@ActivityInterface
public interface HookActivities {
  /**
   * Runs every hook configured for the procedure and phase, in name order, and stops at the first
   * that fails (non-zero exit, timeout, non-2xx). A failing hook is an answer, not an error: it
   * comes back in the report for the workflow to act on. No hooks → an empty report.
   */
  HookReport runHooks(HookCall call);
}
