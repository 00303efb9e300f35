package dev.dbops.workflows.common;

import io.temporal.workflow.WorkflowLocal;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The decisions a run takes as Workflow Updates ({@code approve}, {@code reject}, {@code decide},
 * {@code abort}): each names its payload type, the rule that says why the run would refuse it now,
 * and the records it lands in. The run's own code states the rule once ({@link ApprovalGate} for
 * approve / reject, the procedure for decide / abort) and its signal handler asks the same rule;
 * {@link ApproverCheckInterceptor} answers the update: its validator refuses at once with that
 * reason (a refused update leaves nothing in history), an accepted one goes through the signal path
 * (signature verdict recorded, handler run) and returns the record it made.
 */
public final class DecisionUpdates {
  private DecisionUpdates() {}

  /** The failure type of a refusal answered by an update's validator. */
  public static final String REFUSED = "DecisionRefused";

  /** How one decision is judged and where it is recorded. */
  public record Rule<T extends SignedSignal>(
      Class<T> type, Function<T, String> refusal, Supplier<List<ApprovalRecord>> records) {
    String refusalOf(SignedSignal s) {
      return refusal.apply(type.cast(s));
    }
  }

  private static final WorkflowLocal<Map<String, Rule<?>>> RULES =
      WorkflowLocal.withCachedInitial(HashMap::new);
  private static final WorkflowLocal<Boolean> VALIDATING =
      WorkflowLocal.withCachedInitial(() -> Boolean.FALSE);

  /** Declares (or replaces) decision {@code name} for this run; a no-op outside workflow code. */
  public static <T extends SignedSignal> void accept(
      String name,
      Class<T> type,
      Function<T, String> refusal,
      Supplier<List<ApprovalRecord>> records) {
    if (WorkflowUnsafe.isWorkflowThread())
      RULES.get().put(name, new Rule<>(type, refusal, records));
  }

  static Rule<?> rule(String name) {
    return RULES.get().get(name);
  }

  /**
   * True while an update's validator runs. A validator is read-only (no {@code
   * Workflow.getVersion}), so versioned name rules take their newer, stricter form there ({@link
   * ApprovalPolicy#namesFolded}).
   */
  public static boolean validating() {
    return WorkflowUnsafe.isWorkflowThread() && VALIDATING.get();
  }

  static String validate(Rule<?> rule, SignedSignal s) {
    VALIDATING.set(Boolean.TRUE);
    try {
      return rule.refusalOf(s);
    } finally {
      VALIDATING.set(Boolean.FALSE);
    }
  }
}
