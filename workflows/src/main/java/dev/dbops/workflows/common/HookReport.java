package dev.dbops.workflows.common;

import java.util.List;

/**
 * What ran at a phase.
 *
 * @param runs one per hook in the order run; the last is the failing one when any failed
 */
public record HookReport(List<HookRun> runs) {
  public boolean failed() {
    return runs != null && runs.stream().anyMatch(r -> !r.ok());
  }

  public HookRun failure() {
    return runs == null ? null : runs.stream().filter(r -> !r.ok()).findFirst().orElse(null);
  }

  /**
   * One hook's run.
   *
   * @param exitCode the process exit code, the HTTP status for a URL hook, -1 on timeout
   * @param outputTail the last lines of its output (stdout and stderr), for the timeline
   */
  public record HookRun(String hook, boolean ok, int exitCode, String outputTail, long millis) {}
}
