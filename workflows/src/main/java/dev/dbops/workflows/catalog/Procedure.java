package dev.dbops.workflows.catalog;

import io.temporal.common.metadata.POJOWorkflowInterfaceMetadata;
import io.temporal.common.metadata.POJOWorkflowMethodMetadata;
import io.temporal.common.metadata.WorkflowMethodType;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One procedure dbops can run, as the worker and the CLI need to know it: plain metadata (the
 * worker maps {@link #workflowInterface} to its implementation; the catalog names none). Every
 * procedure has the same shape: {@code run(Request)} and a {@code status()} query whose answer has
 * a {@code phase} (see {@link Phases}); most also take the signals {@code approve} / {@code reject}
 * (see {@link #hasSignal}).
 *
 * @param name CLI name, e.g. {@code glacier-restore}
 * @param summary one line for help texts
 * @param workflowInterface the {@code @WorkflowInterface}
 * @param requestClass the {@code run} argument
 * @param problems validation that needs no server: one message per problem, naming the field
 * @param defaultWorkflowId the business-key id used when none is given
 * @param asDryRun the same request, marked to plan only and change nothing; null when the procedure
 *     has no dry run (see {@link #plannable()})
 * @param validatingPhases phases in which the run only checks its input with read-only calls: a
 *     failure there is the request's fault (the CLI exits 2)
 * @param abortPhases phases in which the run acts on an {@code abort(Abort)} signal at once (stops
 *     waiting and fails); empty when it takes none
 * @param targets what the request acts on, as {@link dev.dbops.workflows.common.TargetLocks} names
 *     it: at most one open run per target (see {@link
 *     dev.dbops.workflows.common.TargetLockInterceptor}); empty for a dry run
 */
public record Procedure<R>(
    String name,
    String summary,
    Class<?> workflowInterface,
    Class<R> requestClass,
    Function<R, List<String>> problems,
    Function<R, String> defaultWorkflowId,
    UnaryOperator<R> asDryRun,
    Set<String> validatingPhases,
    Set<String> abortPhases,
    Function<R, List<String>> targets) {

  public Procedure {
    validatingPhases = Set.copyOf(validatingPhases);
    abortPhases = Set.copyOf(abortPhases);
  }

  public boolean isValidating(String phase) {
    return phase == null || validatingPhases.contains(phase);
  }

  /** The Temporal workflow type name (what the UI and {@code list} show). */
  public String workflowType() {
    return POJOWorkflowInterfaceMetadata.newInstance(workflowInterface)
        .getWorkflowMethod()
        .orElseThrow(() -> new IllegalStateException(workflowInterface + " has no @WorkflowMethod"))
        .getName();
  }

  public List<String> problemsOf(Object request) {
    return problems.apply(requestClass.cast(request));
  }

  public List<String> targetsOf(Object request) {
    return targets.apply(requestClass.cast(request));
  }

  public String defaultWorkflowIdOf(Object request) {
    return defaultWorkflowId.apply(requestClass.cast(request));
  }

  public boolean isAbortable(String phase) {
    return phase != null && abortPhases.contains(phase);
  }

  /** Whether {@code plan} can run it: its request has a dry-run switch. */
  public boolean plannable() {
    return asDryRun != null;
  }

  public Object dryRunOf(Object request) {
    if (asDryRun == null) throw new IllegalStateException(name + " has no dry run");
    return asDryRun.apply(requestClass.cast(request));
  }

  /** Whether the workflow interface declares a signal of that name (e.g. {@code abort}). */
  public boolean hasSignal(String signalName) {
    return POJOWorkflowInterfaceMetadata.newInstance(workflowInterface)
        .getMethodsMetadata()
        .stream()
        .filter(m -> m.getType() == WorkflowMethodType.SIGNAL)
        .map(POJOWorkflowMethodMetadata::getName)
        .anyMatch(signalName::equals);
  }
}
