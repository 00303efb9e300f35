package dev.dbops.sandbox;

import java.util.List;

/**
 * The Route53 errors the sandbox returns, with Route53's codes and HTTP statuses. Route53 sends
 * InvalidChangeBatch in the standard {@code <ErrorResponse>} shape, every problem of the batch in
 * one bracketed, comma-separated Message.
 */
final class Route53Errors {

  private Route53Errors() {}

  static ServiceError noSuchHostedZone(String id) {
    return new ServiceError(404, "NoSuchHostedZone", "No hosted zone found with ID: " + id);
  }

  static ServiceError noSuchChange(String id) {
    return new ServiceError(
        404, "NoSuchChange", "A change with the specified change ID does not exist: " + id);
  }

  /** {@code [problem one, problem two]}. */
  static ServiceError invalidChangeBatch(List<String> problems) {
    return new ServiceError(400, "InvalidChangeBatch", "[" + String.join(", ", problems) + "]");
  }

  static ServiceError invalidInput(String message) {
    return new ServiceError(400, "InvalidInput", message);
  }

  static ServiceError notImplemented(String operation) {
    return new ServiceError(
        501,
        "NotImplemented",
        "The dbops sandbox (a test double) does not implement Route53 " + operation);
  }

  static ServiceError throttling() {
    return new ServiceError(400, "Throttling", "Rate exceeded");
  }

  static ServiceError internalFailure() {
    return new ServiceError(500, "InternalFailure", "An internal error occurred.");
  }

  static ServiceError serviceUnavailable() {
    return new ServiceError(
        503, "ServiceUnavailable", "Service is unavailable. Please try again later.");
  }
}
