package dev.dbops.starter;

import dev.dbops.workflows.common.ApprovalPolicy;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Who may approve (and decide, where a procedure asks people to), shared by every procedure. */
final class ApprovalFlags {
  @RequestField("approval.approvers")
  @Option(
      names = "--approver",
      paramLabel = "NAME",
      description = "who may approve or decide (repeatable); the requester never may")
  List<String> approvers;

  @RequestField("approval.required")
  @Option(
      names = "--approvals-required",
      paramLabel = "M",
      description = "approvals needed, M of the approvers (default 1)")
  Integer approvalsRequired;

  @RequestField("approval.timeout")
  @Option(
      names = "--approval-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "fail when approval does not come within this (default 24h)")
  Duration approvalTimeout;

  @RequestField("approval.remindEvery")
  @Option(
      names = "--remind-every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "while the run waits for a person, remind this often (default 4h)")
  Duration remindEvery;

  @RequestField("approval.escalateTo")
  @Option(
      names = "--escalate-to",
      paramLabel = "NAME",
      description = "who is told once when nobody answered within --escalate-after (repeatable)")
  List<String> escalateTo;

  @RequestField("approval.escalateAfter")
  @Option(
      names = "--escalate-after",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "escalate an unanswered wait to --escalate-to after this (default 8h)")
  Duration escalateAfter;

  boolean given() {
    return approvers != null
        || approvalsRequired != null
        || approvalTimeout != null
        || remindEvery != null
        || escalateTo != null
        || escalateAfter != null;
  }

  /** The request's approval policy, or null when no approval flag was given (request default). */
  ApprovalPolicy policy() {
    return given()
        ? new ApprovalPolicy(
            approvers == null ? List.of() : List.copyOf(approvers),
            approvalsRequired,
            approvalTimeout,
            remindEvery,
            escalateTo == null ? null : List.copyOf(escalateTo),
            escalateAfter)
        : null;
  }
}
