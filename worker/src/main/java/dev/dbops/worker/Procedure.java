package dev.dbops.worker;

import io.temporal.common.metadata.POJOWorkflowInterfaceMetadata;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One procedure dbops can run, as the worker and the CLI need to know it. Every procedure has
 * the same shape: {@code run(Request)}, signals {@code approve} / {@code reject}, and a
 * {@code status()} query whose answer has a {@code phase} (see {@link Phases}).
 *
 * @param name CLI name, e.g. {@code glacier-restore}
 * @param summary one line for help texts
 * @param workflowInterface the {@code @WorkflowInterface}
 * @param workflowImplementation registered by the worker
 * @param requestClass the {@code run} argument
 * @param problems validation that needs no server: one message per problem, naming the field
 * @param defaultWorkflowId the business-key id used when none is given
 * @param asDryRun the same request, marked to plan only and change nothing
 * @param validatingPhases phases in which the run only checks its input with read-only calls:
 *     a failure there is the request's fault (the CLI exits 2)
 */
public record Procedure<R>(
    String name,
    String summary,
    Class<?> workflowInterface,
    Class<?> workflowImplementation,
    Class<R> requestClass,
    Function<R, List<String>> problems,
    Function<R, String> defaultWorkflowId,
    UnaryOperator<R> asDryRun,
    Set<String> validatingPhases) {

  public Procedure {
    validatingPhases = Set.copyOf(validatingPhases);
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

  public String defaultWorkflowIdOf(Object request) {
    return defaultWorkflowId.apply(requestClass.cast(request));
  }

  public Object dryRunOf(Object request) {
    return asDryRun.apply(requestClass.cast(request));
  }
}
