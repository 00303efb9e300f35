package dev.dbops.workflows.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.ApprovalPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlacierRestoreRequestTest {
  static GlacierRestoreRequest.Builder valid() {
    return GlacierRestoreRequest.Builder.of("archive-bucket", "logs/")
        .tier(RestoreTier.STANDARD)
        .requestedBy("bob");
  }

  static void assertProblem(GlacierRestoreRequest r, String field) {
    List<String> p = r.problems();
    assertTrue(
        p.stream().anyMatch(m -> m.startsWith(field)), "expected a problem on " + field + ": " + p);
  }

  @Test
  void givenMinimalRequest_whenValidated_thenNoProblems() {
    assertEquals(List.of(), valid().build().problems());
    assertEquals("restore/archive-bucket/logs/", valid().build().defaultWorkflowId());
  }

  @Test
  void givenBadFields_whenValidated_thenEachProblemNamesItsField() {
    assertProblem(valid().bucket("Bad_Bucket").build(), "bucket");
    assertProblem(valid().bucket(null).build(), "bucket");
    assertProblem(valid().keys(List.of("a")).build(), "prefix/keys");
    assertProblem(valid().prefix(null).build(), "prefix/keys");
    assertProblem(valid().prefix(null).keys(List.of("a", "a")).build(), "keys");
    assertProblem(valid().tier(null).build(), "tier");
    assertProblem(valid().days(0).build(), "days");
    assertProblem(
        valid().delivery(new Delivery(DeliveryMode.DOWNLOAD, " ", null, null)).build(),
        "delivery.directory");
    assertProblem(
        valid().delivery(new Delivery(DeliveryMode.COPY, null, "UP", null)).build(),
        "delivery.targetBucket");
    assertProblem(valid().pollInterval(Duration.ofMillis(10)).build(), "pollInterval");
    assertProblem(valid().maxWait(Duration.ofSeconds(-1)).build(), "maxWait");
    assertProblem(valid().batchSize(5000).build(), "batchSize");
    assertProblem(
        valid()
            .approvalThresholdUsd(-1.0)
            .approval(new ApprovalPolicy(List.of("alice"), 1, null))
            .build(),
        "approvalThresholdUsd");
  }

  @Test
  void givenExplicitKeysThatCannotBeFilesOfTheirOwn_whenDownloading_thenRefusedNamingEachKey() {
    Delivery download = new Delivery(DeliveryMode.DOWNLOAD, "/restore", null, null);
    List<String> p =
        valid()
            .prefix(null)
            .delivery(download)
            .keys(List.of("dup/a.txt", "dup//a.txt", "x", "x/y", "ok.csv"))
            .build()
            .problems();

    assertEquals(
        List.of(
            "keys: 'dup//a.txt' cannot be a file of its own under delivery.directory: an empty path segment"
                + " ('//' or a trailing '//'); not normalised",
            "keys: 'x' cannot be a file of its own under delivery.directory: its path 'x' is also claimed by"
                + " key(s) 'x/y'; neither is written, nothing is overwritten",
            "keys: 'x/y' cannot be a file of its own under delivery.directory: its path 'x' is also claimed by"
                + " key(s) 'x'; neither is written, nothing is overwritten"),
        p);
    assertEquals(
        List.of(),
        valid().prefix(null).keys(List.of("dup//a.txt")).build().problems(),
        "only a download maps keys onto paths");
  }

  @Test
  void givenApprovalMayBeNeeded_whenApproversMissingOrTooFew_thenRefused() {
    assertProblem(valid().requireApproval(true).build(), "approval.approvers");
    assertProblem(valid().approvalThresholdUsd(10.0).build(), "approval.approvers");
    assertProblem(
        valid()
            .requireApproval(true)
            .approval(new ApprovalPolicy(List.of("bob", "alice"), 2, null))
            .build(),
        "approval.required");
    assertProblem(
        valid()
            .requireApproval(true)
            .requestedBy(null)
            .approval(new ApprovalPolicy(List.of("alice"), 1, null))
            .build(),
        "requestedBy");
    assertEquals(
        List.of(),
        valid()
            .requireApproval(true)
            .approval(new ApprovalPolicy(List.of("bob", "alice"), 1, Duration.ofHours(1)))
            .build()
            .problems());
  }
}
