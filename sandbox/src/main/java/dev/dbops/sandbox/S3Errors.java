package dev.dbops.sandbox;

/**
 * Every S3 error the sandbox returns, with the status S3 documents for it
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html and each operation's page).
 */
final class S3Errors {

  private S3Errors() {}

  static ServiceError noSuchBucket(String bucket) {
    return new ServiceError(404, "NoSuchBucket", "The specified bucket does not exist")
        .with("BucketName", bucket);
  }

  static ServiceError noSuchKey(String key) {
    return new ServiceError(404, "NoSuchKey", "The specified key does not exist.").with("Key", key);
  }

  static ServiceError accessDenied() {
    return new ServiceError(
        403, "AccessDenied", "Access Denied (sandbox: bucket access denied by test setup)");
  }

  static ServiceError invalidObjectState(String message, String storageClass) {
    return new ServiceError(403, "InvalidObjectState", message).with("StorageClass", storageClass);
  }

  static ServiceError objectAlreadyInActiveTier() {
    return new ServiceError(
        403,
        "ObjectAlreadyInActiveTierError",
        "This operation is not allowed against this storage tier.");
  }

  static ServiceError restoreAlreadyInProgress() {
    return new ServiceError(
        409, "RestoreAlreadyInProgress", "Object restore is already in progress");
  }

  /**
   * RestoreObject with Tier Expedited on a DEEP_ARCHIVE object. AWS documents that Deep Archive has
   * no Expedited tier but not the error code of such a request; 400 {@code InvalidArgument} is the
   * sandbox's choice (see README). Change it here, nowhere else.
   */
  static ServiceError deepArchiveExpedited() {
    return new ServiceError(
            400,
            "InvalidArgument",
            "Expedited retrieval is not supported for the DEEP_ARCHIVE storage class")
        .with("ArgumentName", "Tier")
        .with("ArgumentValue", "Expedited");
  }

  static ServiceError expeditedUnavailable() {
    return new ServiceError(
        503,
        "GlacierExpeditedRetrievalNotAvailable",
        "Glacier expedited retrievals are currently not available, please try again later");
  }

  static ServiceError malformedXml() {
    return new ServiceError(
        400,
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema");
  }

  static ServiceError invalidArgument(String message, String name, String value) {
    return new ServiceError(400, "InvalidArgument", message)
        .with("ArgumentName", name)
        .with("ArgumentValue", value);
  }

  static ServiceError invalidRequest(String message) {
    return new ServiceError(400, "InvalidRequest", message);
  }

  static ServiceError invalidStorageClass(String storageClass) {
    return new ServiceError(
            400, "InvalidStorageClass", "The storage class you specified is not valid")
        .with("StorageClassRequested", storageClass);
  }

  static ServiceError invalidBucketName(String bucket) {
    return new ServiceError(400, "InvalidBucketName", "The specified bucket is not valid.")
        .with("BucketName", bucket);
  }

  static ServiceError invalidRange(long size) {
    return new ServiceError(416, "InvalidRange", "The requested range is not satisfiable")
        .with("ActualObjectSize", Long.toString(size));
  }

  static ServiceError bucketAlreadyOwnedByYou(String bucket) {
    return new ServiceError(
            409,
            "BucketAlreadyOwnedByYou",
            "Your previous request to create the named bucket succeeded and you already own it.")
        .with("BucketName", bucket);
  }

  static ServiceError slowDown() {
    return new ServiceError(503, "SlowDown", "Please reduce your request rate.");
  }

  static ServiceError internalError() {
    return new ServiceError(
        500, "InternalError", "We encountered an internal error. Please try again.");
  }

  static ServiceError serviceUnavailable() {
    return new ServiceError(503, "ServiceUnavailable", "Please reduce your request rate.");
  }

  static ServiceError notImplemented(String what) {
    return new ServiceError(
        501, "NotImplemented", "The sandbox (a test double, not AWS) does not implement " + what);
  }
}
