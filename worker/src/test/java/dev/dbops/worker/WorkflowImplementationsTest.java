package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import io.temporal.common.metadata.POJOWorkflowImplMetadata;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The worker runs every procedure of the catalog, each by an implementation of its interface. */
class WorkflowImplementationsTest {
  @Test
  void
      givenTheCatalog_whenEachProcedureIsLookedUp_thenTheWorkerHasAnImplementationOfItsInterface() {
    for (Procedure<?> p : Procedures.ALL) {
      Class<?> impl = WorkflowImplementations.of(p);
      assertFalse(impl.isInterface(), p.name());
      assertTrue(
          p.workflowInterface().isAssignableFrom(impl),
          impl + " does not implement " + p.workflowInterface());
      // Temporal's own reading: the implementation's workflow type is the procedure's.
      assertEquals(
          p.workflowType(),
          POJOWorkflowImplMetadata.newInstance(impl).getWorkflowMethods().get(0).getName(),
          p.name());
    }
  }

  @Test
  void givenEverythingTheWorkerRegisters_whenListed_thenEachWorkflowTypeOnce() {
    Set<String> types = new HashSet<>();
    for (Class<?> impl : WorkflowImplementations.all()) {
      POJOWorkflowImplMetadata.newInstance(impl)
          .getWorkflowMethods()
          .forEach(m -> assertTrue(types.add(m.getName()), "registered twice: " + impl));
    }
    assertEquals(Procedures.ALL.size() + WorkflowImplementations.HELPERS.size(), types.size());
  }
}
