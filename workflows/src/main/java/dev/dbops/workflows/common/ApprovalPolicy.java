package dev.dbops.workflows.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may approve, how many must, and how long the run waits. A wait that elapses fails the
 * run; it never proceeds.
 *
 * @param approvers allow-list of names; required whenever an approval can be asked for
 * @param required M of the N approvers (default 1)
 * @param timeout how long to wait for the approvals (default 24 h)
 */
public record ApprovalPolicy(List<String> approvers, Integer required, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

  public int requiredOrDefault() {
    return required == null ? 1 : required;
  }

  public Duration timeoutOrDefault() {
    return timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  public List<String> approversOrEmpty() {
    return approvers == null ? List.of() : approvers;
  }

  /** Problems with the policy itself; {@code field} prefixes each message. */
  public List<String> problems(String field, String requestedBy) {
    List<String> out = new ArrayList<>();
    List<String> names = approversOrEmpty();
    if (names.isEmpty()) {
      out.add(field + ".approvers: an approval may be needed, so name who may give it");
    }
    for (String n : names) {
      if (n == null || n.isBlank()) out.add(field + ".approvers: blank name");
    }
    int m = requiredOrDefault();
    if (m < 1) out.add(field + ".required: must be at least 1, was " + m);
    long eligible = names.stream().filter(n -> n != null && !n.equals(requestedBy)).distinct().count();
    if (!names.isEmpty() && m > eligible) {
      out.add(field + ".required: " + m + " approvals needed but only " + eligible
          + " approver(s) other than the requester '" + requestedBy + "'");
    }
    Duration t = timeoutOrDefault();
    if (t.isNegative() || t.isZero()) out.add(field + ".timeout: must be positive, was " + t);
    return out;
  }
}
