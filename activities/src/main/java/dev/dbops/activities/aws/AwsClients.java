package dev.dbops.activities.aws;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the AWS SDK clients activities use. SDK retries are deliberately modest (standard mode,
 * {@value #SDK_MAX_ATTEMPTS} attempts): they smooth over a blip, while Temporal's retry policy is
 * the outer loop that rides out long throttling or outages.
 */
public final class AwsClients {
  private AwsClients() {}

  /** Attempts per SDK call, the first included. */
  public static final int SDK_MAX_ATTEMPTS = 3;

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** A stalled read fails (retryably) after this long; downloads stream, so it is per read. */
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

  public static S3Client s3(AwsSettings settings, MeterRegistry registry) {
    var builder = S3Client.builder()
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials(settings))
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(CONNECT_TIMEOUT)
            .socketTimeout(SOCKET_TIMEOUT))
        .overrideConfiguration(o -> o
            .retryStrategy(retryStrategy())
            .addExecutionInterceptor(new AwsCallMetrics(registry)));
    if (settings.usesSandbox()) {
      builder.endpointOverride(settings.endpointOverride()).forcePathStyle(true);
    }
    return builder.build();
  }

  static RetryStrategy retryStrategy() {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(SDK_MAX_ATTEMPTS)
        .build();
  }

  private static AwsCredentialsProvider credentials(AwsSettings settings) {
    if (settings.usesSandbox()) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create("sandbox", "sandbox"));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
