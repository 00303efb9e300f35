package dev.dbops.workflows.restore;

import java.time.Duration;
import java.util.List;

/**
 * One batch as planned: objects of one storage class, the tier, how to poll, and where a
 * listing-based readiness check starts.
 *
 * @param needsRestore false for objects readable as is (only delivered, if at all)
 * @param deliverable whether the delivery step has anything to do for these objects
 * @param listPrefix prefix for a ListObjectsV2-based check; null means HeadObject per key
 * @param startAfter ListObjectsV2 start-after for the check (the key listed before this batch)
 */
public record RestoreBatchPlan(
    int index,
    String storageClass,
    RestoreTier tier,
    List<ObjectInfo> objects,
    boolean needsRestore,
    boolean deliverable,
    Duration pollInterval,
    Duration maxWait,
    String listPrefix,
    String startAfter) {

  public List<String> keys() {
    return objects.stream().map(ObjectInfo::key).toList();
  }

  public String describe() {
    return "batch "
        + index
        + " ("
        + objects.size()
        + " "
        + storageClass
        + (needsRestore ? ", " + tier : "")
        + ")";
  }
}
