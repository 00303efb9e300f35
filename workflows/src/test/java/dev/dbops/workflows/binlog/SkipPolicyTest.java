package dev.dbops.workflows.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SkipPolicyTest {

  @Test
  void givenAPolicyWithoutMode_whenRead_thenItSkipsWholeTransactionsAsBefore() {
    SkipPolicy p = new SkipPolicy(List.of(1062), null, 10, ForeignKeyMode.STOP_AND_ASK);

    assertEquals(SkipMode.TRANSACTION, p.modeOrDefault());
    assertEquals(DuplicateKeyResolution.KEEP_REPLICA_ROW, p.onDuplicateKeyOrDefault());
    assertEquals(MissingRowResolution.SKIP_CHANGE, p.onMissingRowOrDefault());
    assertEquals(List.of(), p.problems("skipPolicy"));
  }

  @Test
  void givenJsonRecordedBeforeStatementMode_whenDeserialized_thenTheModeIsTransaction() {
    Payload old =
        Payload.newBuilder()
            .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
            .setData(
                com.google.protobuf.ByteString.copyFrom(
                    "{\"allowedErrnos\":[1062],\"errorPattern\":null,\"budget\":5,\"foreignKeyMode\":\"DISABLE_CHECKS\"}",
                    StandardCharsets.UTF_8))
            .build();

    SkipPolicy p =
        DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
            0,
            Optional.of(io.temporal.api.common.v1.Payloads.newBuilder().addPayloads(old).build()),
            SkipPolicy.class,
            SkipPolicy.class);

    assertEquals(new SkipPolicy(List.of(1062), null, 5, ForeignKeyMode.DISABLE_CHECKS), p);
    assertEquals(SkipMode.TRANSACTION, p.modeOrDefault());
  }

  @Test
  void givenAStatementModePolicy_whenItRoundTripsThroughJson_thenNothingIsLost() {
    SkipPolicy p =
        new SkipPolicy(
            List.of(1062, 1032, 1452),
            null,
            10,
            ForeignKeyMode.DISABLE_CHECKS,
            SkipMode.STATEMENT,
            DuplicateKeyResolution.TAKE_SOURCE_ROW,
            MissingRowResolution.REINSERT);

    var payloads = DefaultDataConverter.STANDARD_INSTANCE.toPayloads(p);
    SkipPolicy back =
        DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
            0, payloads, SkipPolicy.class, SkipPolicy.class);

    assertEquals(p, back);
    assertEquals(List.of(), p.problems("skipPolicy"));
  }

  @Test
  void givenResolutionsInTransactionMode_whenValidated_thenEachIsNamed() {
    SkipPolicy p =
        new SkipPolicy(
            List.of(1062),
            null,
            10,
            null,
            SkipMode.TRANSACTION,
            DuplicateKeyResolution.TAKE_SOURCE_ROW,
            MissingRowResolution.REINSERT);

    List<String> problems = p.problems("skipPolicy");

    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("skipPolicy.onDuplicateKey:"), problems.toString());
    assertTrue(problems.get(1).startsWith("skipPolicy.onMissingRow:"), problems.toString());
  }

  @Test
  void givenStatementModeWithAnErrnoItCannotResolve_whenValidated_thenItSaysSo() {
    SkipPolicy p =
        new SkipPolicy(List.of(1062, 1146), null, 10, null, SkipMode.STATEMENT, null, null);

    List<String> problems = p.problems("skipPolicy");

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems.get(0).contains("1146 cannot be resolved statement by statement"),
        problems.toString());
  }

  @Test
  void givenForeignKeyErrnosWithoutDisabledChecks_whenValidated_thenEachIsRefusedNamingTheMode() {
    for (ForeignKeyMode stop : java.util.Arrays.asList(null, ForeignKeyMode.STOP_AND_ASK)) {
      for (SkipMode mode : java.util.Arrays.asList(null, SkipMode.TRANSACTION)) {
        List<String> problems =
            new SkipPolicy(List.of(1062, 1451, 1452), null, 10, stop, mode, null, null)
                .problems("skipPolicy");

        assertEquals(2, problems.size(), problems.toString());
        assertTrue(
            problems
                .get(0)
                .startsWith(
                    "skipPolicy.allowedErrnos: 1451 is never skipped while"
                        + " skipPolicy.foreignKeyMode is STOP_AND_ASK"),
            problems.toString());
        assertTrue(
            problems.get(1).startsWith("skipPolicy.allowedErrnos: 1452 is never skipped"),
            problems.toString());
      }
    }
    assertEquals(
        List.of(),
        new SkipPolicy(List.of(1062, 1452), null, 10, ForeignKeyMode.DISABLE_CHECKS)
            .problems("skipPolicy"));
    assertEquals(
        List.of(),
        new SkipPolicy(
                List.of(1062, 1452),
                null,
                10,
                ForeignKeyMode.DISABLE_CHECKS,
                SkipMode.STATEMENT,
                null,
                null)
            .problems("skipPolicy"));
    assertEquals(
        List.of(),
        new SkipPolicy(List.of(1062, 1452), null, 10, null).problems("skipPolicy", false),
        "not for runs recorded before the rule");
  }

  @Test
  void givenABudgetOfZeroWithErrnos_whenValidated_thenRefused() {
    List<String> problems = new SkipPolicy(List.of(1062), null, 0, null).problems("skipPolicy");

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems.get(0).startsWith("skipPolicy.budget: 0 lets none of"), problems.toString());
    assertEquals(List.of(), SkipPolicy.none().problems("skipPolicy"));
  }

  @Test
  void givenAPolicyWithoutMode_whenTheDefaultIsResolved_thenStatementAndAnExplicitModeIsKept() {
    assertEquals(
        SkipMode.STATEMENT, new SkipPolicy(List.of(1062), null, 10, null).withModeDefault().mode());
    SkipPolicy explicit =
        new SkipPolicy(List.of(1062), null, 10, null, SkipMode.TRANSACTION, null, null);
    assertEquals(explicit, explicit.withModeDefault());
  }

  @Test
  void givenAnOldJournalEntry_whenBuiltWithNineFields_thenItHasNoConflicts() {
    JournalEntry e =
        new JournalEntry(
            1,
            new BinlogPosition("b.000001", 4),
            "r:4",
            1062,
            "dup",
            List.of(),
            "SKIPPED",
            "policy",
            "t");

    assertEquals(List.of(), e.conflictsOrEmpty());
    var back =
        DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
            0,
            DefaultDataConverter.STANDARD_INSTANCE.toPayloads(e),
            JournalEntry.class,
            JournalEntry.class);
    assertEquals(e, back);
  }
}
