package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code list --target} finds a run by what it acts on, not only by its workflow id: on the dev
 * server (no visibility queries) the filter reads the run's {@code DbopsTarget} search attribute
 * from the ListOpen / ListClosed answers.
 */
@DevStackTest
class CliListTargetTest {
  static final String BUCKET = "cli-list-target";
  static final String ID = "nightly/restore-of-my-own";

  @BeforeAll
  static void seed() {
    var s3 = DevStack.sandbox().s3();
    s3.createBucket(BUCKET);
    s3.putObject(BUCKET, "gated/x.csv", "x".getBytes(), "GLACIER");
  }

  private static List<String> listed(String... args) throws Exception {
    Cli.Result r = DevStack.cli(args);
    assertEquals(ExitCodes.OK, r.exit(), r.toString());
    List<String> out = new ArrayList<>();
    for (JsonNode run : Render.MAPPER.readTree(r.out())) out.add(run.path("workflowId").asText());
    return out;
  }

  @Test
  void givenARunStartedWithAnIdNotNamingItsBucket_whenListedByTheBucket_thenItIsListed()
      throws Exception {
    Cli.Result started =
        DevStack.cli(
            "start",
            "glacier-restore",
            "--bucket",
            BUCKET,
            "--prefix",
            "gated/",
            "--tier",
            "EXPEDITED",
            "--poll-interval",
            "1s",
            "--require-approval",
            "--approver",
            "alice",
            "--requested-by",
            "bob",
            "--id",
            ID);
    assertEquals(ExitCodes.OK, started.exit(), started.toString());
    try {
      assertEquals(List.of(ID), listed("list", "--target", BUCKET, "--json"));
      assertEquals(List.of(ID), listed("list", "--open", "--target", BUCKET + "/gated", "--json"));
      assertEquals(List.of(), listed("list", "--target", BUCKET + "-elsewhere", "--json"));
    } finally {
      assertEquals(ExitCodes.OK, DevStack.cli("cancel", ID).exit());
    }
  }
}
