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

  boolean given() {
    return approvers != null || approvalsRequired != null || approvalTimeout != null;
  }

  /** The request's approval policy, or null when no approval flag was given (request default). */
  ApprovalPolicy policy() {
    return given()
        ? new ApprovalPolicy(
            approvers == null ? List.of() : List.copyOf(approvers),
            approvalsRequired,
            approvalTimeout)
        : null;
  }
}
