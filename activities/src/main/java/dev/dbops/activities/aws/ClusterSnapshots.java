package dev.dbops.activities.aws;

import io.temporal.failure.ApplicationFailure;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;

/**
 * Aurora cluster snapshots by id, and the one idempotent create-or-adopt that upgrade (its
 * pre-upgrade snapshot) and staging (the source snapshot and its re-encrypted copy) share. What
 * makes an existing snapshot adoptable and what record a caller returns stay with the caller.
 */
public final class ClusterSnapshots {
  /**
   * How a snapshot's status sorts for a poll, as the AWS SDK's waiters sort it: available is ready;
   * failed, deleted and deleting will never be; anything else (creating, copying, a status not
   * known here) is not yet.
   */
  public enum Availability {
    AVAILABLE,
    NOT_YET,
    NEVER
  }

  private static final Set<String> NEVER_AVAILABLE =
      java.util.Set.of("failed", "deleted", "deleting");

  /** The one sort of a snapshot status that upgrade's and staging's availability checks share. */
  public static Availability availability(String status) {
    if ("available".equals(status)) return Availability.AVAILABLE;
    if (NEVER_AVAILABLE.contains(status)) return Availability.NEVER;
    return Availability.NOT_YET;
  }

  /** RDS's answer to a create or copy whose target id is taken. */
  public static final String ALREADY_EXISTS = "DBClusterSnapshotAlreadyExistsFault";

  private final RdsClient rds;

  public ClusterSnapshots(RdsClient rds) {
    this.rds = rds;
  }

  /** The snapshot with this id, or empty when there is none. */
  public Optional<DBClusterSnapshot> find(String snapshotId) {
    return AwsFailures.ifExists(
        () ->
            AwsFailures.call(
                "DescribeDBClusterSnapshots",
                "snapshot " + snapshotId,
                () ->
                    rds
                        .describeDBClusterSnapshots(b -> b.dbClusterSnapshotIdentifier(snapshotId))
                        .dbClusterSnapshots()
                        .stream()
                        .findFirst()
                        .orElse(null)));
  }

  /**
   * Adopts snapshot {@code snapshotId} when it exists, else creates it. A create that finds the id
   * taken (a concurrent attempt created it between the look and the create) looks again and adopts
   * what it finds.
   *
   * @param operation the RDS call {@code create} makes, for failures (e.g. CreateDBClusterSnapshot)
   * @param create the create or copy call; answers the new snapshot
   * @param created the caller's result for a snapshot it just requested (metrics and log included)
   * @param adopt the caller's result for an existing snapshot; throws a non-retryable {@link
   *     ApplicationFailure} when the snapshot is not one the caller may adopt
   */
  public <T> T createOrAdopt(
      String snapshotId,
      String operation,
      Supplier<DBClusterSnapshot> create,
      Function<DBClusterSnapshot, T> created,
      Function<DBClusterSnapshot, T> adopt) {
    Optional<DBClusterSnapshot> existing = find(snapshotId);
    if (existing.isPresent()) return adopt.apply(existing.get());
    DBClusterSnapshot s;
    try {
      s = create.get();
    } catch (SdkException e) {
      if (ALREADY_EXISTS.equals(AwsFailures.errorCode(e))) {
        Optional<DBClusterSnapshot> now = find(snapshotId);
        if (now.isPresent()) return adopt.apply(now.get());
      }
      throw AwsFailures.failure(operation, "snapshot " + snapshotId, e);
    }
    return created.apply(s);
  }
}
