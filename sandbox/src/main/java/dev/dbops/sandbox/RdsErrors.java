package dev.dbops.sandbox;

/**
 * The RDS errors the sandbox returns, with the HTTP status the SDK's model pairs with each code
 * (modeled faults become typed exceptions, e.g. {@code DBClusterNotFoundFault} 404 → {@code
 * DbClusterNotFoundException}; unmodeled codes such as {@code InvalidParameterCombination} and
 * {@code Throttling} arrive as {@code RdsException} with that error code).
 */
final class RdsErrors {

  private RdsErrors() {}

  static ServiceError clusterNotFound(String id) {
    return new ServiceError(404, "DBClusterNotFoundFault", "DBCluster " + id + " not found.");
  }

  static ServiceError clusterAlreadyExists(String id) {
    return new ServiceError(400, "DBClusterAlreadyExistsFault", "DB Cluster already exists: " + id);
  }

  static ServiceError invalidClusterState(String id, String status) {
    return new ServiceError(
        400,
        "InvalidDBClusterStateFault",
        "DbCluster " + id + " is not in available state (status: " + status + ").");
  }

  static ServiceError instanceNotFound(String id) {
    return new ServiceError(404, "DBInstanceNotFound", "DBInstance " + id + " not found.");
  }

  static ServiceError invalidInstanceState(String id, String status) {
    return new ServiceError(
        400,
        "InvalidDBInstanceState",
        "DB instance " + id + " is not in available state (status: " + status + ").");
  }

  static ServiceError instanceAlreadyExists(String id) {
    return new ServiceError(400, "DBInstanceAlreadyExists", "DB instance already exists: " + id);
  }

  static ServiceError snapshotNotFound(String id) {
    return new ServiceError(
        404, "DBClusterSnapshotNotFoundFault", "DBClusterSnapshot " + id + " not found.");
  }

  static ServiceError snapshotAlreadyExists(String id) {
    return new ServiceError(
        400,
        "DBClusterSnapshotAlreadyExistsFault",
        "Cannot create the cluster snapshot because one with the identifier "
            + id
            + " already exists.");
  }

  static ServiceError invalidSnapshotState(String id, String status) {
    return new ServiceError(
        400,
        "InvalidDBClusterSnapshotStateFault",
        "DBClusterSnapshot " + id + " is not in available state (status: " + status + ").");
  }

  /**
   * Sharing a snapshot encrypted with the AWS managed {@code aws/rds} key. AWS documents the
   * refusal ("You can't share a snapshot that's encrypted using the default KMS key of the account
   * that shared it") as an invalid parameter; the message text is the sandbox's.
   */
  static ServiceError shareDefaultKey(String snapshotId) {
    return invalidParameterValue(
        "The DB cluster snapshot "
            + snapshotId
            + " is encrypted with the AWS managed key "
            + "aws/rds and can't be shared with other accounts. Copy it with a customer managed KMS key "
            + "(CopyDBClusterSnapshot KmsKeyId) and share the copy.");
  }

  static ServiceError parameterGroupNotFound(String name) {
    return new ServiceError(404, "DBParameterGroupNotFound", "DBParameterGroup not found: " + name);
  }

  static ServiceError clusterParameterGroupNotFound(String name) {
    return new ServiceError(
        404, "DBClusterParameterGroupNotFound", "DBClusterParameterGroup not found: " + name);
  }

  static ServiceError invalidParameterCombination(String message) {
    return new ServiceError(400, "InvalidParameterCombination", message);
  }

  static ServiceError invalidParameterValue(String message) {
    return new ServiceError(400, "InvalidParameterValue", message);
  }

  static ServiceError missingParameter(String name) {
    return new ServiceError(
        400, "MissingParameter", "The request must contain the parameter " + name);
  }

  static ServiceError invalidAction(String action) {
    return new ServiceError(
        400,
        "InvalidAction",
        "The action "
            + action
            + " is not valid for this web service (the dbops sandbox, a test double).");
  }

  static ServiceError throttling() {
    return new ServiceError(400, "Throttling", "Rate exceeded");
  }

  static ServiceError internalFailure() {
    return new ServiceError(
        500,
        "InternalFailure",
        "The request processing has failed because of an unknown error, exception or failure.");
  }

  static ServiceError serviceUnavailable() {
    return new ServiceError(
        503, "ServiceUnavailable", "Service is unavailable. Please try again later.");
  }
}
