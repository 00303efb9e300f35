package dev.dbops.workflows.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.DbLogin;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request checks the bad-input table found missing: names of one server, cluster ids, slice vs
 * poll.
 */
class BinlogCatchUpRequestTest {
  private static final DbLogin ADMIN = new DbLogin("admin", "env:DB_ADMIN_PASSWORD");

  private static BinlogCatchUpRequest request(
      DbTarget source, DbTarget replica, String clusterId, Duration poll, Duration slice) {
    return new BinlogCatchUpRequest(
        source,
        replica,
        clusterId,
        new BinlogPosition("mysql-bin-changelog.000118", 245880),
        new ReplicationUser("repl", "env:REPL_PASSWORD", false),
        null,
        false,
        null,
        null,
        null,
        poll,
        slice,
        null,
        new ApprovalPolicy(List.of("alice"), 1, Duration.ofHours(8)),
        "bob",
        null,
        null);
  }

  private static List<String> problems(String sourceHost, String replicaHost) {
    return request(
            new DbTarget(sourceHost, 3306, ADMIN),
            new DbTarget(replicaHost, 3306, ADMIN),
            null,
            null,
            null)
        .problems();
  }

  @Test
  void givenAValidRequest_whenChecked_thenNoProblem() {
    assertEquals(List.of(), problems("10.0.0.1", "10.0.0.2"));
    assertEquals(
        List.of(),
        request(
                new DbTarget("127.0.0.1", 3306, ADMIN),
                new DbTarget("127.0.0.1", 3307, ADMIN),
                "restored-replica-1",
                Duration.ofSeconds(1),
                Duration.ofMinutes(5))
            .problems());
  }

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, localhost",
    "localhost, ::1",
    "DB.internal., db.internal",
    "db.internal, DB.INTERNAL",
    "127.0.0.1, 127.0.1.1"
  })
  void givenTwoSpellingsOfOneServer_whenChecked_thenReplicaMustNotBeTheSource(
      String source, String replica) {
    List<String> p = problems(source, replica);
    assertTrue(
        p.stream().anyMatch(x -> x.startsWith("replica: must not be the source")), p.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "prod; DROP TABLE x",
        "1replica",
        "replica--1",
        "replica-",
        "re plica",
        "replica\nx"
      })
  void givenAnInjectionLookingClusterId_whenChecked_thenReplicaClusterIdNamed(String id) {
    List<String> p =
        request(
                new DbTarget("10.0.0.1", 3306, ADMIN),
                new DbTarget("10.0.0.2", 3306, ADMIN),
                id,
                null,
                null)
            .problems();
    assertTrue(p.stream().anyMatch(x -> x.startsWith("replicaClusterId: ")), p.toString());
  }

  @Test
  void givenASliceShorterThanThePoll_whenChecked_thenMonitorSliceNamed() {
    List<String> p =
        request(
                new DbTarget("10.0.0.1", 3306, ADMIN),
                new DbTarget("10.0.0.2", 3306, ADMIN),
                null,
                Duration.ofMinutes(10),
                Duration.ofMinutes(5))
            .problems();
    assertEquals(List.of("monitorSlice: must be at least pollInterval (PT10M), was PT5M"), p);
  }

  private static BinlogCatchUpRequest withPolicy(SkipPolicy policy, Integer retentionHours) {
    BinlogCatchUpRequest r =
        request(
            new DbTarget("10.0.0.1", 3306, ADMIN),
            new DbTarget("10.0.0.2", 3306, ADMIN),
            null,
            null,
            null);
    return new BinlogCatchUpRequest(
        r.source(),
        r.replica(),
        null,
        r.startPosition(),
        r.replicationUser(),
        retentionHours,
        false,
        policy,
        null,
        null,
        null,
        null,
        null,
        r.approval(),
        "bob",
        null,
        null);
  }

  @Test
  void givenNoSkipMode_whenChecked_thenJudgedInStatementModeAsANewRunRecordsIt() {
    SkipPolicy tableMissing = new SkipPolicy(List.of(1062, 1146), null, 10, null);

    List<String> problems = withPolicy(tableMissing, null).problems();

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems.get(0).contains("1146 cannot be resolved statement by statement"),
        problems.toString());
    assertEquals(
        List.of(), withPolicy(tableMissing, null).problemsAsRecordedBeforeSkipModeDefault());
    assertEquals(
        SkipMode.STATEMENT, withPolicy(null, null).withSkipModeDefault().skipPolicy().mode());
    assertEquals(
        0,
        withPolicy(null, null).withSkipModeDefault().policyOrDefault().budgetOrDefault(),
        "no policy stays the no-skip policy");
  }

  @Test
  void givenRetentionHours_whenChecked_thenAnyEngineMaximumPassesHereAndMoreIsRefused() {
    assertEquals(
        List.of(), withPolicy(null, 2160).problems(), "Aurora MySQL 2.11+ and 3 take 2160");
    assertEquals(
        List.of(),
        withPolicy(null, 169).problems(),
        "the engine's own bound is the source check's");
    List<String> problems = withPolicy(null, 2161).problems();
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems.get(0).startsWith("setRetentionHours: must be 1..2160"), problems.toString());
  }
}
