package dev.dbops.sandbox;

/** Thrown by sandbox state when a call must fail with a service error; handlers render it. */
final class ServiceException extends RuntimeException {

  private final ServiceError error;

  ServiceException(ServiceError error) {
    super(error.code() + ": " + error.message(), null, false, false);
    this.error = error;
  }

  ServiceError error() {
    return error;
  }
}
