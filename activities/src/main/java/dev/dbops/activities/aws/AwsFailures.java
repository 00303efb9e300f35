package dev.dbops.activities.aws;

import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Turns AWS SDK failures into Temporal failures, classified by {@link ErrorTypes#classifyAws} and
 * nothing else. Every AWS-facing call goes through {@link #call}; the message names the operation,
 * the resource and the AWS error code, so the Temporal UI alone tells what broke.
 */
public final class AwsFailures {
  private AwsFailures() {}

  /** Runs one AWS call; an {@link SdkException} comes out as a classified ApplicationFailure. */
  public static <T> T call(String operation, String resource, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw failure(operation, resource, e);
    }
  }

  /** The classified Temporal failure for {@code e}. */
  public static ApplicationFailure failure(String operation, String resource, SdkException e) {
    String code = errorCode(e);
    int status = statusCode(e);
    ErrorTypes.Classification c = ErrorTypes.classifyAws(code, status);
    String message = operation + " " + resource + " failed: " + describe(e, code, status);
    return c.retryable()
        ? ApplicationFailure.newFailureWithCause(message, c.type(), e)
        : ApplicationFailure.newNonRetryableFailureWithCause(message, c.type(), e);
  }

  /**
   * An I/O failure while reading a response body that S3 had started to send (connection reset,
   * read timeout): the same as an SDK call that got no answer.
   */
  public static ApplicationFailure streamFailure(String operation, String resource, IOException e) {
    ErrorTypes.Classification c = ErrorTypes.classifyAws(null, 0);
    String message = operation + " " + resource + " failed while reading the response: " + e;
    return c.retryable()
        ? ApplicationFailure.newFailureWithCause(message, c.type(), e)
        : ApplicationFailure.newNonRetryableFailureWithCause(message, c.type(), e);
  }

  /** The AWS error code ({@code NoSuchKey}, {@code SlowDown}, …), or null when there is none. */
  public static String errorCode(SdkException e) {
    if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
      String code = ase.awsErrorDetails().errorCode();
      return code == null || code.isBlank() ? null : code;
    }
    return null;
  }

  /** The HTTP status, or 0 when no response arrived. */
  public static int statusCode(SdkException e) {
    return e instanceof SdkServiceException se ? se.statusCode() : 0;
  }

  private static String describe(SdkException e, String code, int status) {
    if (e instanceof AwsServiceException ase) {
      StringBuilder sb = new StringBuilder(code != null ? code : "no error code");
      sb.append(" (HTTP ").append(status).append(')');
      String text = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorMessage();
      if (text != null && !text.isBlank()) sb.append(": ").append(text);
      if (ase.requestId() != null) sb.append(" [request id ").append(ase.requestId()).append(']');
      return sb.toString();
    }
    return "no response from AWS: " + e.getMessage();
  }

  /**
   * The answer of a describe by id, or empty when AWS says there is no such resource (NOT_FOUND as
   * {@link ErrorTypes#classifyAws} sorts it). Every other failure propagates.
   */
  public static <T> Optional<T> ifExists(Supplier<T> describe) {
    try {
      return Optional.ofNullable(describe.get());
    } catch (ApplicationFailure f) {
      if (ErrorTypes.NOT_FOUND.equals(f.getType())) return Optional.empty();
      throw f;
    }
  }
}
