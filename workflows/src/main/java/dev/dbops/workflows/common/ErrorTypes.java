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

  /**
   * A file would be written through a symbolic link, onto something that is not a directory, or
   * over a file that is not ours, or the download directory itself is unusable: never retried.
   */
  public static final String PATH_REFUSED = "PathRefused";

  /**
   * SQL pre-checks found something that makes an in-place upgrade unsafe (numbers in the message).
   */
  public static final String PRECHECK_BLOCKED = "PrecheckBlocked";

  /** RDS reported the upgrade failed; the cluster is back on the old version. */
  public static final String UPGRADE_FAILED = "UpgradeFailed";

  /** A person signalled abort while the run waited. */
  public static final String ABORTED = "Aborted";

  /**
   * Retryable: the database could not be reached or dropped the connection, or refused for a
   * passing reason (too many connections, lock wait timeout, deadlock, read-only during a
   * failover). An upgrade restarts the endpoint, so this is expected for minutes.
   */
  public static final String DB_UNAVAILABLE = "DbUnavailable";

  /** Non-retryable: the server rejected a statement (syntax, missing table, …). */
  public static final String SQL_FAILED = "SqlFailed";

  /** An account limit (snapshots, clusters, instances, storage): retrying does not raise it. */
  public static final String QUOTA_EXCEEDED = "QuotaExceeded";

  /** Replication cannot go on (e.g. IO error 1236: the source purged the binlog it needs). */
  public static final String REPLICATION_BROKEN = "ReplicationBroken";

  /** Nobody decided on a replication error in time; replication stays stopped. */
  public static final String DECISION_TIMEOUT = "DecisionTimeout";

  /** After the upgrade, VERSION() or a smoke statement did not hold. */
  public static final String VERIFY_FAILED = "VerifyFailed";

  /**
   * A delete or adopt was refused: the resource does not carry the owner tag that makes it ours.
   */
  public static final String NOT_OWNED = "NotOwned";

  /** Masking verification found unmasked rows; nothing was repointed at the copy. */
  public static final String MASKING_FAILED = "MaskingFailed";

  /** The schema of the restored copy differs from the source and the request says that fails. */
  public static final String DRIFT_DETECTED = "DriftDetected";

  /** The DNS cutover failed; the record was put back to its previous value. */
  public static final String DNS_CHANGE_FAILED = "DnsChangeFailed";

  /** An operator's hook failed and a person chose to stop (or nobody answered). */
  public static final String HOOK_FAILED = "HookFailed";

  /**
   * Workflow code threw something unexpected (an overflow, a null, an illegal argument — most often
   * from a request that slipped past validation): the run fails with this type instead of retrying
   * its workflow task forever ({@link WorkflowCodeFailures}).
   */
  public static final String WORKFLOW_CODE_FAILED = "WorkflowCodeFailed";

  /**
   * A binlog cut-over would have stopped replication short of (or past) the source's final
   * position: refused with both positions named, replication left running, nothing reset.
   */
  public static final String CUTOVER_REFUSED = "CutoverRefused";

  /**
   * A target lock could not tell whether its holder is still open (the check failed other than by
   * "not yet"): the lock ends with this failure rather than polling again without end.
   */
  public static final String LOCK_CHECK_FAILED = "LockCheckFailed";

  /** Types an activity must never retry; listed in every retry policy as well. */
  public static final Set<String> NON_RETRYABLE =
      Set.of(
          INVALID_INPUT,
          NOT_FOUND,
          ACCESS_DENIED,
          INVALID_PARAMETER,
          INVALID_STATE,
          RESTORE_EXPIRED,
          PRECHECK_BLOCKED,
          UPGRADE_FAILED,
          ABORTED,
          VERIFY_FAILED,
          REPLICATION_BROKEN,
          SQL_FAILED,
          QUOTA_EXCEEDED,
          NOT_OWNED,
          MASKING_FAILED,
          DRIFT_DETECTED,
          DNS_CHANGE_FAILED,
          HOOK_FAILED,
          PATH_REFUSED,
          CUTOVER_REFUSED);

  public static String[] nonRetryable() {
    return NON_RETRYABLE.toArray(String[]::new);
  }

  /**
   * The retryable "not yet" a poll activity throws. Marked BENIGN: it is the expected answer of an
   * infrequent poll, so the SDK logs it at DEBUG rather than a WARN with a stack trace per check.
   */
  public static ApplicationFailure notReady(String message) {
    return ApplicationFailure.newBuilder()
        .setMessage(message)
        .setType(NOT_READY)
        .setCategory(ApplicationErrorCategory.BENIGN)
        .build();
  }

  /** How an AWS error is treated: the failure type and whether retrying can help. */
  public record Classification(String type, boolean retryable) {}

  private static final Set<String> THROTTLING =
      Set.of(
          "Throttling",
          "ThrottlingException",
          "ThrottledException",
          "RequestThrottled",
          "RequestThrottledException",
          "TooManyRequestsException",
          "SlowDown",
          "RequestLimitExceeded",
          "ProvisionedThroughputExceededException",
          "PriorRequestNotComplete",
          "BandwidthLimitExceeded",
          "EC2ThrottledException",
          "TransactionInProgressException",
          "RequestTimeout",
          "RequestTimeoutException",
          "InternalError",
          "InternalFailure",
          "ServiceUnavailable",
          "ServiceUnavailableException",
          "OperationAborted",
          "InsufficientDBInstanceCapacity",
          "InsufficientDBClusterCapacityFault",
          // Expedited capacity comes and goes; the restore activity may fall back first.
          "GlacierExpeditedRetrievalNotAvailable");
  private static final Set<String> NOT_FOUND_CODES =
      Set.of(
          "NoSuchBucket",
          "NoSuchKey",
          "NotFound",
          "DBClusterNotFoundFault",
          "DBInstanceNotFoundFault",
          "DBInstanceNotFound",
          "ResourceNotFoundException",
          "DBClusterSnapshotNotFoundFault",
          "DBSnapshotNotFound",
          "NoSuchHostedZone",
          "NoSuchChange",
          "DBClusterParameterGroupNotFound",
          "DBParameterGroupNotFound",
          "KMSKeyNotAccessibleFault");
  private static final Set<String> ACCESS_DENIED_CODES =
      Set.of(
          "AccessDenied",
          "AccessDeniedException",
          "UnauthorizedOperation",
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "ExpiredToken",
          "ExpiredTokenException",
          "InvalidClientTokenId",
          "AllAccessDisabled",
          "AuthFailure");
  private static final Set<String> INVALID_PARAMETER_CODES =
      Set.of(
          "InvalidParameterValue",
          "InvalidParameterCombination",
          "InvalidParameter",
          "InvalidArgument",
          "InvalidRequest",
          "MalformedXML",
          "ValidationError",
          "InvalidBucketName",
          "InvalidStorageClass",
          "InvalidInput",
          "InvalidChangeBatch");
  // RestoreAlreadyInProgress and ObjectAlreadyInActiveTierError are answers about state; the
  // restore activity turns them into ADOPTED / ALREADY_RESTORED before they get here.
  private static final Set<String> INVALID_STATE_CODES =
      Set.of(
          "InvalidObjectState",
          "RestoreAlreadyInProgress",
          "ObjectAlreadyInActiveTierError",
          "InvalidDBClusterStateFault",
          "InvalidDBInstanceState",
          "InvalidDBClusterSnapshotStateFault",
          "DBClusterSnapshotAlreadyExistsFault",
          "SharedSnapshotQuotaExceeded",
          "DBClusterAlreadyExistsFault",
          "DBInstanceAlreadyExists");

  private static final Set<String> QUOTA_CODES =
      Set.of(
          "SnapshotQuotaExceeded",
          "DBClusterQuotaExceededFault",
          "InstanceQuotaExceeded",
          "StorageQuotaExceeded",
          "DBClusterSnapshotQuotaExceeded",
          "TooManyBuckets");

  /**
   * Sorts an AWS error. {@code code} is the service's error code (may be null when the request
   * never got an answer); {@code httpStatus} is 0 when there was no response.
   */
  public static Classification classifyAws(String code, int httpStatus) {
    if (code != null) {
      if (THROTTLING.contains(code)) return new Classification(AWS_TRANSIENT, true);
      if (NOT_FOUND_CODES.contains(code)) return new Classification(NOT_FOUND, false);
      if (ACCESS_DENIED_CODES.contains(code)) return new Classification(ACCESS_DENIED, false);
      if (INVALID_PARAMETER_CODES.contains(code))
        return new Classification(INVALID_PARAMETER, false);
      if (INVALID_STATE_CODES.contains(code)) return new Classification(INVALID_STATE, false);
      if (QUOTA_CODES.contains(code)) return new Classification(QUOTA_EXCEEDED, false);
    }
    if (httpStatus == 0 || httpStatus == 429 || httpStatus >= 500) {
      return new Classification(AWS_TRANSIENT, true);
    }
    if (httpStatus == 403) return new Classification(ACCESS_DENIED, false);
    if (httpStatus == 404) return new Classification(NOT_FOUND, false);
    // An unknown 4xx is a request we built wrong: retrying would repeat it.
    return new Classification(INVALID_PARAMETER, false);
  }

  private static final Classification SQL_UNAVAILABLE = new Classification(DB_UNAVAILABLE, true);

  /** MySQL / MariaDB error numbers (server ER_* and client CR_*) that are not SQL_FAILED. */
  private static final java.util.Map<MysqlErrno, Classification> SQL_BY_ERRNO =
      java.util.Map.ofEntries(
          // The server is going away, starting, overloaded or briefly read-only.
          java.util.Map.entry(
              MysqlErrno.ER_CON_COUNT_ERROR, SQL_UNAVAILABLE), // too many connections
          java.util.Map.entry(
              MysqlErrno.ER_HANDSHAKE_ERROR, SQL_UNAVAILABLE), // bad handshake (server starting)
          java.util.Map.entry(
              MysqlErrno.ER_SERVER_SHUTDOWN, SQL_UNAVAILABLE), // shutdown in progress
          java.util.Map.entry(MysqlErrno.ER_IPSOCK_ERROR, SQL_UNAVAILABLE),
          java.util.Map.entry(MysqlErrno.ER_CANT_CREATE_THREAD, SQL_UNAVAILABLE),
          java.util.Map.entry(MysqlErrno.ER_ABORTING_CONNECTION, SQL_UNAVAILABLE),
          java.util.Map.entry(MysqlErrno.ER_NET_READ_ERROR, SQL_UNAVAILABLE),
          java.util.Map.entry(MysqlErrno.ER_NET_READ_INTERRUPTED, SQL_UNAVAILABLE),
          java.util.Map.entry(MysqlErrno.ER_NET_ERROR_ON_WRITE, SQL_UNAVAILABLE),
          java.util.Map.entry(MysqlErrno.ER_NET_WRITE_INTERRUPTED, SQL_UNAVAILABLE),
          java.util.Map.entry(MysqlErrno.ER_NEW_ABORTING_CONNECTION, SQL_UNAVAILABLE),
          java.util.Map.entry(MysqlErrno.ER_LOCK_WAIT_TIMEOUT, SQL_UNAVAILABLE),
          java.util.Map.entry(MysqlErrno.ER_LOCK_DEADLOCK, SQL_UNAVAILABLE),
          java.util.Map.entry(
              MysqlErrno.ER_OPTION_PREVENTS_STATEMENT, SQL_UNAVAILABLE), // --read-only (failover)
          java.util.Map.entry(
              MysqlErrno.ER_QUERY_INTERRUPTED,
              SQL_UNAVAILABLE), // killed by shutdown or an operator
          java.util.Map.entry(MysqlErrno.ER_READ_ONLY_MODE, SQL_UNAVAILABLE),
          java.util.Map.entry(MysqlErrno.ER_CONNECTION_KILLED, SQL_UNAVAILABLE), // MariaDB
          java.util.Map.entry(MysqlErrno.CR_CONNECTION_ERROR, SQL_UNAVAILABLE),
          java.util.Map.entry(MysqlErrno.CR_CONN_HOST_ERROR, SQL_UNAVAILABLE),
          java.util.Map.entry(
              MysqlErrno.CR_UNKNOWN_HOST,
              SQL_UNAVAILABLE), // a new endpoint's DNS name not there yet
          java.util.Map.entry(MysqlErrno.CR_SERVER_GONE_ERROR, SQL_UNAVAILABLE),
          java.util.Map.entry(MysqlErrno.CR_SERVER_LOST, SQL_UNAVAILABLE),
          java.util.Map.entry(MysqlErrno.CR_SERVER_LOST_EXTENDED, SQL_UNAVAILABLE),
          // Credentials and grants: retrying would not change them.
          java.util.Map.entry(
              MysqlErrno.ER_DBACCESS_DENIED_ERROR, new Classification(ACCESS_DENIED, false)),
          java.util.Map.entry(
              MysqlErrno.ER_ACCESS_DENIED_ERROR, new Classification(ACCESS_DENIED, false)),
          java.util.Map.entry(
              MysqlErrno.ER_TABLEACCESS_DENIED_ERROR, new Classification(ACCESS_DENIED, false)),
          java.util.Map.entry(
              MysqlErrno.ER_COLUMNACCESS_DENIED_ERROR, new Classification(ACCESS_DENIED, false)),
          java.util.Map.entry(
              MysqlErrno.ER_SPECIFIC_ACCESS_DENIED_ERROR, new Classification(ACCESS_DENIED, false)),
          java.util.Map.entry(
              MysqlErrno.ER_ACCESS_DENIED_NO_PASSWORD_ERROR,
              new Classification(ACCESS_DENIED, false)),
          java.util.Map.entry(MysqlErrno.ER_BAD_DB_ERROR, new Classification(NOT_FOUND, false)));

  /**
   * Sorts a MySQL / MariaDB error: by error number first, then SQLSTATE class 08 (connection
   * exception — Connector/J reports those with errno 0), then whether the driver called it
   * transient. Anything else is a statement the server refused; repeating it gets the same answer.
   */
  public static Classification classifySql(int errno, String sqlState, boolean transientByDriver) {
    Classification byErrno = MysqlErrno.of(errno).map(SQL_BY_ERRNO::get).orElse(null);
    if (byErrno != null) return byErrno;
    if (sqlState != null && sqlState.startsWith("08")) return SQL_UNAVAILABLE;
    if (transientByDriver) return SQL_UNAVAILABLE;
    return new Classification(SQL_FAILED, false);
  }
}
