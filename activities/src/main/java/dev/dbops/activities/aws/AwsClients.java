package dev.dbops.activities.aws;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

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
    var builder = configure(S3Client.builder(), settings, registry);
    if (settings.usesSandbox()) builder.forcePathStyle(true);
    return builder.build();
  }

  /** RDS (Query protocol), with the same timeouts, SDK retries and call metrics as S3. */
  public static RdsClient rds(AwsSettings settings, MeterRegistry registry) {
    return configure(RdsClient.builder(), settings, registry).build();
  }

  /**
   * Secrets Manager, for {@code secretsmanager:ID} password references. The sandbox does not speak
   * it: with a sandbox endpoint every call fails (retryably, connection-level) there.
   */
  public static SecretsManagerClient secretsManager(AwsSettings settings, MeterRegistry registry) {
    return configure(SecretsManagerClient.builder(), settings, registry).build();
  }

  /** RDS acting with {@code credentials} (e.g. an assumed role in another account). */
  public static RdsClient rds(
      AwsSettings settings, MeterRegistry registry, AwsCredentialsProvider credentials) {
    return configure(RdsClient.builder(), settings, registry, credentials).build();
  }

  /** Route53 is global: it signs for us-east-1 whatever the settings' region. */
  public static Route53Client route53(
      AwsSettings settings, MeterRegistry registry, AwsCredentialsProvider credentials) {
    return configure(Route53Client.builder(), settings, registry, credentials)
        .region(Region.AWS_GLOBAL)
        .build();
  }

  public static KmsClient kms(
      AwsSettings settings, MeterRegistry registry, AwsCredentialsProvider credentials) {
    return configure(KmsClient.builder(), settings, registry, credentials).build();
  }

  public static S3Client s3(
      AwsSettings settings, MeterRegistry registry, AwsCredentialsProvider credentials) {
    var builder = configure(S3Client.builder(), settings, registry, credentials);
    if (settings.usesSandbox()) builder.forcePathStyle(true);
    return builder.build();
  }

  /** STS, with the worker's own credentials: the client that assumes roles in other accounts. */
  public static StsClient sts(AwsSettings settings, MeterRegistry registry) {
    return configure(StsClient.builder(), settings, registry).build();
  }

  /** The worker's own credentials: the default chain on AWS, fixed keys for the sandbox. */
  public static AwsCredentialsProvider ownCredentials(AwsSettings settings) {
    return credentials(settings);
  }

  private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
      B builder, AwsSettings settings, MeterRegistry registry) {
    return configure(builder, settings, registry, credentials(settings));
  }

  /** Region, credentials, HTTP timeouts, SDK retries, metrics and (sandbox) endpoint. */
  private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
      B builder, AwsSettings settings, MeterRegistry registry, AwsCredentialsProvider credentials) {
    builder
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials)
        .httpClientBuilder(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT))
        .overrideConfiguration(
            o ->
                o.retryStrategy(retryStrategy())
                    .addExecutionInterceptor(new AwsCallMetrics(registry)));
    if (settings.usesSandbox()) builder.endpointOverride(settings.endpointOverride());
    return builder;
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
