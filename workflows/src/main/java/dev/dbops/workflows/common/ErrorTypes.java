package dev.dbops.workflows.common;

import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import java.util.Set;

/**
 * Every failure type dbops raises, and the one mapping from AWS error codes to retryable or
 * non-retryable. Activities call {@link #classifyAws}; nothing else decides retryability.
 */
public final class ErrorTypes {
  private ErrorTypes() {}

  /** The request is wrong; nothing was changed. The CLI exits 2. */
  public static final String INVALID_INPUT = "InvalidInput";
  /** Benign: the awaited resource is not ready yet; the retry policy is the poll loop. */
  public static final String NOT_READY = "NotReady";
  /** A transient AWS fault (throttling, 5xx, connection): retried. */
  public static final String AWS_TRANSIENT = "AwsTransient";
  public static final String NOT_FOUND = "NotFound";
  public static final String ACCESS_DENIED = "AccessDenied";
  public static final String INVALID_PARAMETER = "InvalidParameter";
  /** AWS refused the operation because of the resource's state (e.g. InvalidObjectState). */
  public static final String INVALID_STATE = "InvalidState";
  public static final String APPROVAL_TIMEOUT = "ApprovalTimeout";
  public static final String REJECTED = "Rejected";
  /** A wait ran past the request's maximum (e.g. a restore that never finished). */
  public static final String WAIT_TIMEOUT = "WaitTimeout";
  /** Downloaded bytes do not match what S3 reports; retried from scratch. */
  public static final String CHECKSUM_MISMATCH = "ChecksumMismatch";
  /** A restored copy expired before it was delivered. */
  public static final String RESTORE_EXPIRED = "RestoreExpired";
  public static final String DELIVERY_FAILED = "DeliveryFailed";
  /** SQL pre-checks found something that makes an in-place upgrade unsafe (numbers in the message). */
  public static final String PRECHECK_BLOCKED = "PrecheckBlocked";
  /** RDS reported the upgrade failed; the cluster is back on the old version. */
  public static final String UPGRADE_FAILED = "UpgradeFailed";
  /** A person signalled abort while the run waited. */
  public static final String ABORTED = "Aborted";
  /** Replication cannot go on (e.g. IO error 1236: the source purged the binlog it needs). */
  public static final String REPLICATION_BROKEN = "ReplicationBroken";
  /** Nobody decided on a replication error in time; replication stays stopped. */
  public static final String DECISION_TIMEOUT = "DecisionTimeout";
  /** After the upgrade, VERSION() or a smoke statement did not hold. */
  public static final String VERIFY_FAILED = "VerifyFailed";

  /** Types an activity must never retry; listed in every retry policy as well. */
  public static final Set<String> NON_RETRYABLE =
      Set.of(INVALID_INPUT, NOT_FOUND, ACCESS_DENIED, INVALID_PARAMETER, INVALID_STATE,
          RESTORE_EXPIRED, PRECHECK_BLOCKED, UPGRADE_FAILED, ABORTED, VERIFY_FAILED,
          REPLICATION_BROKEN);

  public static String[] nonRetryable() {
    return NON_RETRYABLE.toArray(String[]::new);
  }

  /**
   * The retryable "not yet" a poll activity throws. Marked BENIGN: it is the expected answer of
   * an infrequent poll, so the SDK logs it at DEBUG rather than a WARN with a stack trace per check.
   */
  public static ApplicationFailure notReady(String message) {
    return ApplicationFailure.newBuilder().setMessage(message).setType(NOT_READY)
        .setCategory(ApplicationErrorCategory.BENIGN).build();
  }

  /** How an AWS error is treated: the failure type and whether retrying can help. */
  public record Classification(String type, boolean retryable) {}

  private static final Set<String> THROTTLING = Set.of(
      "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
      "RequestThrottledException", "TooManyRequestsException", "SlowDown",
      "RequestLimitExceeded", "ProvisionedThroughputExceededException", "PriorRequestNotComplete",
      "BandwidthLimitExceeded", "EC2ThrottledException", "TransactionInProgressException",
      "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
      "ServiceUnavailable", "ServiceUnavailableException", "OperationAborted",
      // Expedited capacity comes and goes; the restore activity may fall back first.
      "GlacierExpeditedRetrievalNotAvailable");
  private static final Set<String> NOT_FOUND_CODES = Set.of(
      "NoSuchBucket", "NoSuchKey", "NotFound", "DBClusterNotFoundFault",
      "DBInstanceNotFoundFault", "DBClusterSnapshotNotFoundFault", "DBSnapshotNotFound",
      "NoSuchHostedZone", "NoSuchChange", "DBClusterParameterGroupNotFound",
      "DBParameterGroupNotFound", "KMSKeyNotAccessibleFault");
  private static final Set<String> ACCESS_DENIED_CODES = Set.of(
      "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "InvalidAccessKeyId",
      "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId",
      "AllAccessDisabled", "AuthFailure");
  private static final Set<String> INVALID_PARAMETER_CODES = Set.of(
      "InvalidParameterValue", "InvalidParameterCombination", "InvalidParameter",
      "InvalidArgument", "InvalidRequest", "MalformedXML", "ValidationError",
      "InvalidBucketName", "InvalidStorageClass", "InvalidInput", "InvalidChangeBatch");
  // RestoreAlreadyInProgress and ObjectAlreadyInActiveTierError are answers about state; the
  // restore activity turns them into ADOPTED / ALREADY_RESTORED before they get here.
  private static final Set<String> INVALID_STATE_CODES = Set.of(
      "InvalidObjectState", "RestoreAlreadyInProgress", "ObjectAlreadyInActiveTierError", "InvalidDBClusterStateFault", "InvalidDBInstanceState",
      "InvalidDBClusterSnapshotStateFault", "DBClusterSnapshotAlreadyExistsFault",
      "DBClusterAlreadyExistsFault", "DBInstanceAlreadyExists");

  /**
   * Sorts an AWS error. {@code code} is the service's error code (may be null when the
   * request never got an answer); {@code httpStatus} is 0 when there was no response.
   */
  public static Classification classifyAws(String code, int httpStatus) {
    if (code != null) {
      if (THROTTLING.contains(code)) return new Classification(AWS_TRANSIENT, true);
      if (NOT_FOUND_CODES.contains(code)) return new Classification(NOT_FOUND, false);
      if (ACCESS_DENIED_CODES.contains(code)) return new Classification(ACCESS_DENIED, false);
      if (INVALID_PARAMETER_CODES.contains(code)) return new Classification(INVALID_PARAMETER, false);
      if (INVALID_STATE_CODES.contains(code)) return new Classification(INVALID_STATE, false);
    }
    if (httpStatus == 0 || httpStatus == 429 || httpStatus >= 500) {
      return new Classification(AWS_TRANSIENT, true);
    }
    if (httpStatus == 403) return new Classification(ACCESS_DENIED, false);
    if (httpStatus == 404) return new Classification(NOT_FOUND, false);
    // An unknown 4xx is a request we built wrong: retrying would repeat it.
    return new Classification(INVALID_PARAMETER, false);
  }
}
