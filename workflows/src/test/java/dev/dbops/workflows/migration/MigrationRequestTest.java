package dev.dbops.workflows.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.catalog.RequestJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationRequestTest {
  @Test
  void givenReadmeUiExample_whenDecodedStrictly_thenValidAndNamesTheInstanceAndRecord()
      throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    int at = readme.indexOf("workflow type `AuroraMigrationWorkflow`");
    assertTrue(at > 0, "README has the Temporal UI example");
    int from = readme.indexOf("```json", at) + "```json".length();
    String json = readme.substring(from, readme.indexOf("```", from));
    MigrationRequest r = RequestJson.STRICT.readValue(json, MigrationRequest.class);
    assertEquals(List.of(), r.problems());
    assertEquals("aurora-migration/orders-mysql", r.defaultWorkflowId());
    assertEquals(
        List.of("instance/orders-mysql", "dns/Z0123456789ABC/db.orders.internal."), r.targets());
  }

  @Test
  void givenLongWorkflowIds_whenNamed_thenValidRdsIdsThatStayApart() {
    String a = "aurora-migration/" + "x".repeat(80) + "-a";
    String b = "aurora-migration/" + "x".repeat(80) + "-b";
    MigrationNames na = MigrationNames.forWorkflow(a);
    MigrationNames nb = MigrationNames.forWorkflow(b);
    assertTrue(dev.dbops.workflows.common.RdsIds.valid(na.clusterId()), na.clusterId());
    assertTrue(dev.dbops.workflows.common.RdsIds.valid(na.instanceId(14)), na.instanceId(14));
    assertTrue(!na.clusterId().equals(nb.clusterId()), na + " vs " + nb);
  }
}
