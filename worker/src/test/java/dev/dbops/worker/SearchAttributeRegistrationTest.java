package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.SearchAttributesInterceptor;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Compose's namespace job registers every search attribute the worker writes, with its type. */
class SearchAttributeRegistrationTest {
  @Test
  void givenTheNamespaceScript_whenRead_thenItCreatesEverySearchAttributeTheWorkerWrites()
      throws Exception {
    String script =
        Files.readString(
            DeploymentFilesTest.ROOT.resolve("deploy/temporal/scripts/create-namespace.sh"));
    assertTrue(script.contains("temporal operator search-attribute create"), script);
    for (SearchAttributeKey<?> k : SearchAttributesInterceptor.ALL) {
      String type =
          k.getValueType() == IndexedValueType.INDEXED_VALUE_TYPE_DATETIME ? "Datetime" : "Keyword";
      assertTrue(
          script.contains(k.getName() + ":" + type),
          k.getName() + ":" + type + " missing from the script");
    }
  }
}
