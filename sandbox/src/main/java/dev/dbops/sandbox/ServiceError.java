package dev.dbops.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A service error as the wire shows it: HTTP status, AWS error code, message, and extra elements
 * some codes carry (S3 {@code NoSuchBucket} has {@code BucketName}, {@code InvalidObjectState} has
 * {@code StorageClass}). Each {@link ServiceHandler} renders it in its protocol's shape.
 */
record ServiceError(int status, String code, String message, Map<String, String> details) {

  ServiceError {
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  ServiceError(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  ServiceError with(String element, String value) {
    Map<String, String> more = new LinkedHashMap<>(details);
    more.put(element, value);
    return new ServiceError(status, code, message, more);
  }

  ServiceException exception() {
    return new ServiceException(this);
  }
}
