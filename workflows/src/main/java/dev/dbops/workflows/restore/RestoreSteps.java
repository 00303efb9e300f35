package dev.dbops.workflows.restore;

import dev.dbops.workflows.common.PlanStep;
import dev.dbops.workflows.common.Runbook;
import dev.dbops.workflows.common.Step;
import dev.dbops.workflows.restore.RestorePhase.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a Glacier restore, declared once: {@link GlacierRestoreWorkflowImpl} runs them and
 * the dry run renders them, each with the exact S3 calls it makes, from the {@link
 * RestorePlanner}'s read-only look at the objects.
 */
final class RestoreSteps {
  private RestoreSteps() {}

  static final Step<Phase, RestorePlanner> LIST =
      Step.of("list", Phase.LISTING, RestoreSteps::listCall, RestoreSteps::listed);

  static final Step<Phase, RestorePlanner> ESTIMATE =
      Step.of(
          "estimate",
          Phase.ESTIMATING,
          p -> "none",
          p -> String.format("$%.4f; ", p.cost().totalUsd()) + String.join("; ", p.cost().lines()));

  static final Step<Phase, RestorePlanner> APPROVE =
      Step.<Phase, RestorePlanner>approval(
              "approve", Phase.AWAITING_APPROVAL, p -> p.request().approval())
          .when(RestorePlanner::approvalNeeded);

  /** Per batch: request restores, wait for them, deliver (each a whole batch or nothing). */
  static final Step<Phase, RestorePlanner> RESTORE =
      Step.<Phase, RestorePlanner>lines("restore", Phase.RESTORING, RestoreSteps::batchLines)
          .hookBefore("before-restore")
          .hookAfter("after-delivery")
          .changes();

  static final Runbook<Phase, RestorePlanner> STEPS = Runbook.of(LIST, ESTIMATE, APPROVE, RESTORE);

  private static String listCall(RestorePlanner p) {
    GlacierRestoreRequest r = p.request();
    return r.prefix() != null
        ? "ListObjectsV2 Bucket="
            + r.bucket()
            + " Prefix="
            + r.prefix()
            + " OptionalObjectAttributes=RestoreStatus"
        : "HeadObject Bucket=" + r.bucket() + " x " + r.keys().size();
  }

  private static String listed(RestorePlanner p) {
    return p.inventory().size()
        + " object(s): "
        + p.toRestore().size()
        + " archived, "
        + p.readable().size()
        + " readable";
  }

  private static List<PlanStep> batchLines(RestorePlanner p) {
    GlacierRestoreRequest r = p.request();
    String b = r.bucket();
    List<PlanStep> steps = new ArrayList<>();
    for (RestoreBatchPlan batch : p.batches()) {
      if (batch.needsRestore()) {
        steps.add(
            new PlanStep(
                "restore " + batch.index(),
                "RestoreObject Bucket="
                    + b
                    + " Days="
                    + r.daysOrDefault()
                    + " Tier="
                    + batch.tier().apiName()
                    + " x "
                    + batch.objects().size(),
                batch.describe() + " first key '" + batch.objects().get(0).key() + "'"));
        steps.add(
            new PlanStep(
                "wait " + batch.index(),
                batch.listPrefix() != null
                    ? "ListObjectsV2 Bucket="
                        + b
                        + " Prefix="
                        + batch.listPrefix()
                        + " StartAfter="
                        + batch.startAfter()
                        + " OptionalObjectAttributes=RestoreStatus"
                    : "HeadObject Bucket=" + b + " x " + batch.objects().size(),
                "every " + batch.pollInterval() + ", at most " + batch.maxWait()));
      }
      if (batch.deliverable()) {
        steps.add(new PlanStep("deliver " + batch.index(), deliveryCall(r), batch.describe()));
      }
    }
    return steps;
  }

  private static String deliveryCall(GlacierRestoreRequest r) {
    Delivery d = r.deliveryOrDefault();
    return switch (d.mode()) {
      case NONE -> "none";
      case DOWNLOAD ->
          "GetObject Bucket="
              + r.bucket()
              + " (Range to resume) -> "
              + d.directory()
              + ", MD5 checked against ETag";
      case COPY ->
          "CopyObject s3://"
              + r.bucket()
              + "/<key> -> s3://"
              + (d.targetBucket() == null ? r.bucket() : d.targetBucket())
              + "/"
              + (d.targetPrefix() == null ? "" : d.targetPrefix())
              + "<key> StorageClass=STANDARD";
    };
  }
}
