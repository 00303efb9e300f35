package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.ReplicaState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The status line of a binlog catch-up shows the replica's GTID position where replication is
 * positioned by GTID.
 */
class BinlogGtidStatusTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BinlogPosition AT = new BinlogPosition("mysql-bin-changelog.000118", 245880);

  @Test
  void givenAReplicaPositionedByGtid_whenTheStatusLineIsRendered_thenItShowsTheExecutedGtids() {
    String line =
        ProcedureViews.binlogCatchUp(
            status(
                new ReplicaState(
                    true,
                    true,
                    0,
                    null,
                    0,
                    null,
                    AT,
                    AT,
                    0L,
                    "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5",
                    "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-7")));

    assertTrue(line.contains("replica at mysql-bin-changelog.000118:245880"), line);
    assertTrue(line.contains("replica GTIDs 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"), line);
  }

  @Test
  void givenAReplicaByFileAndPosition_whenTheStatusLineIsRendered_thenNoGtidIsShown() {
    String line =
        ProcedureViews.binlogCatchUp(
            status(new ReplicaState(true, true, 0, null, 0, null, AT, AT, 0L)));

    assertTrue(line.contains("replica at mysql-bin-changelog.000118:245880"), line);
    assertFalse(line.contains("GTID"), line);
  }

  private static JsonNode status(ReplicaState replica) {
    return JSON.valueToTree(
        Map.of(
            "lagSeconds",
            0,
            "replica",
            replica,
            "journaled",
            0,
            "skippedByPolicy",
            0,
            "budgetRemaining",
            100));
  }
}
