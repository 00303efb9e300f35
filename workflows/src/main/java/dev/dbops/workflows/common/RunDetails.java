package dev.dbops.workflows.common;

import dev.dbops.workflows.catalog.Phases;
import dev.dbops.workflows.catalog.Procedure;

/**
 * A run's current details as the Temporal UI shows them (user metadata): its phase, what it waits
 * for, and the exact command that answers it. Written by {@link SearchAttributesInterceptor}.
 */
public final class RunDetails {
  private RunDetails() {}

  public static String of(
      String workflowId, Procedure<?> procedure, String phase, String waitingFor, String waiting) {
    StringBuilder b =
        new StringBuilder("**phase** ").append(phase == null ? Phases.STARTING : phase);
    if (waiting != null && !waiting.isBlank()) {
      b.append("\n\n**waiting for** ").append(Printable.escape(waiting));
    }
    String answer = answer(workflowId, procedure, phase, waitingFor);
    if (answer != null) b.append("\n\n**answer with** `").append(answer).append('`');
    return b.toString();
  }

  /** The command a person runs to move the run on, or null when it waits for nobody. */
  static String answer(String workflowId, Procedure<?> procedure, String phase, String waitingFor) {
    String id = workflowId;
    return switch (waitingFor) {
      case SearchAttributesInterceptor.APPROVAL ->
          "./dbops approve "
              + id
              + " --by <name> --comment <why>"
              + "  |  ./dbops reject "
              + id
              + " --by <name> --reason <why>";
      case SearchAttributesInterceptor.DECISION ->
          "./dbops decide " + id + " --action skip|retry|abort --by <name> --reason <why>";
      case SearchAttributesInterceptor.AWS ->
          procedure != null && procedure.isAbortable(phase)
              ? "./dbops abort " + id + " --by <name> --reason <why>"
              : "./dbops watch " + id;
      default -> null;
    };
  }
}
