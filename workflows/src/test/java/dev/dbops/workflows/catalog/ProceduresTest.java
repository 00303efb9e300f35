package dev.dbops.workflows.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The catalog is plain metadata the CLI can load: interfaces, requests, rules — no implementation.
 */
class ProceduresTest {
  @Test
  void givenEveryProcedure_whenItsClassValuedFieldsAreRead_thenNoneIsAWorkflowImplementation()
      throws Exception {
    for (Procedure<?> p : Procedures.ALL) {
      for (RecordComponent c : Procedure.class.getRecordComponents()) {
        if (c.getType() != Class.class) continue;
        Class<?> value = (Class<?>) c.getAccessor().invoke(p);
        boolean workflowInterface =
            value.isAnnotationPresent(io.temporal.workflow.WorkflowInterface.class);
        boolean implementation =
            !value.isInterface()
                && java.util.Arrays.stream(value.getInterfaces())
                    .anyMatch(
                        i -> i.isAnnotationPresent(io.temporal.workflow.WorkflowInterface.class));
        assertTrue(
            !implementation && (workflowInterface || !c.getName().startsWith("workflow")),
            p.name() + "." + c.getName() + " names " + value.getName());
      }
    }
  }

  @Test
  void givenTheCatalog_whenNamesAndTypesAreRead_thenEachIsUniqueAndFindsItsProcedure() {
    Set<String> names = new HashSet<>();
    Set<String> types = new HashSet<>();
    for (Procedure<?> p : Procedures.ALL) {
      assertTrue(names.add(p.name()), p.name());
      assertTrue(types.add(p.workflowType()), p.workflowType());
      assertEquals(p, Procedures.byName(p.name()).orElseThrow());
      assertEquals(p, Procedures.byWorkflowType(p.workflowType()).orElseThrow());
    }
  }
}
