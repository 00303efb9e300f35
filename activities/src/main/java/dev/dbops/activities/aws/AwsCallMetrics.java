package dev.dbops.activities.aws;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * "AWS calls by API and outcome": counts every SDK call once, when it ends (after the SDK's own
 * retries), as {@value #CALLS}{@code {service,operation,outcome}} where outcome is {@code ok}, the
 * AWS error code, {@code http_<status>} when the error carried no code (HEAD responses), or {@code
 * client_error} when no answer came back (connection refused or dropped, timeout). Attempts the SDK
 * retried are counted in {@value #RETRIES}{@code {service,operation}}.
 */
public final class AwsCallMetrics implements ExecutionInterceptor {
  public static final String CALLS = "dbops_aws_calls_total";
  public static final String RETRIES = "dbops_aws_sdk_retries_total";
  public static final String OK = "ok";
  public static final String CLIENT_ERROR = "client_error";

  private static final ExecutionAttribute<Integer> ATTEMPTS =
      new ExecutionAttribute<>("dbops.aws.attempts");

  private final MeterRegistry registry;

  public AwsCallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    Integer attempts = attributes.getAttribute(ATTEMPTS);
    attributes.putAttribute(ATTEMPTS, attempts == null ? 1 : attempts + 1);
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    record(attributes, OK);
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    record(attributes, outcome(context.exception()));
  }

  static String outcome(Throwable failure) {
    if (failure instanceof AwsServiceException e) {
      String code = AwsFailures.errorCode(e);
      return code != null ? code : "http_" + e.statusCode();
    }
    return CLIENT_ERROR;
  }

  private void record(ExecutionAttributes attributes, String outcome) {
    String service =
        tag(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)).toLowerCase(Locale.ROOT);
    String operation = tag(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    registry
        .counter(CALLS, "service", service, "operation", operation, "outcome", outcome)
        .increment();
    Integer attempts = attributes.getAttribute(ATTEMPTS);
    if (attempts != null && attempts > 1) {
      registry.counter(RETRIES, "service", service, "operation", operation).increment(attempts - 1);
    }
  }

  private static String tag(String value) {
    return value == null ? "unknown" : value;
  }
}
