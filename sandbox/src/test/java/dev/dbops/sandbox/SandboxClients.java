package dev.dbops.sandbox;

import java.net.URI;
import java.net.http.HttpRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/** Real SDK v2 clients pointed at a sandbox, configured the way dbops activities configure them. */
final class SandboxClients {

  /** Credentials of the default account (any key the sandbox did not issue acts as it). */
  static final AwsCredentialsProvider DEFAULT_ACCOUNT =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create("AKIDSANDBOXEXAMPLE", "sandbox-secret"));

  private SandboxClients() {}

  /** A request to the admin API at {@code path} (under /_sandbox/) carrying this start's token. */
  static HttpRequest.Builder admin(AwsSandbox sandbox, String path) {
    return HttpRequest.newBuilder(URI.create(sandbox.endpoint() + path))
        .header(AwsSandbox.ADMIN_TOKEN_HEADER, sandbox.adminToken());
  }

  /** Default SDK settings (retries, checksums, aws-chunked uploads), endpoint overridden. */
  static S3Client s3(AwsSandbox sandbox) {
    return builder(sandbox).build();
  }

  /** Same, with SDK retries disabled, so every injected fault reaches the caller. */
  static S3Client s3WithoutRetries(AwsSandbox sandbox) {
    return builder(sandbox)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /**
   * A real RDS client (Query protocol) against the sandbox, SDK retries disabled so faults surface.
   */
  static RdsClient rds(AwsSandbox sandbox) {
    return rds(sandbox, DEFAULT_ACCOUNT);
  }

  /**
   * An RDS client acting with {@code credentials} (e.g. {@link #assumeRole}), SDK retries disabled.
   */
  static RdsClient rds(AwsSandbox sandbox, AwsCredentialsProvider credentials) {
    return RdsClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .endpointOverride(sandbox.endpoint())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** A Route53 client (REST-XML) with the SDK's default retries (throttling is retried). */
  static Route53Client route53(AwsSandbox sandbox, AwsCredentialsProvider credentials) {
    return Route53Client.builder()
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(credentials)
        .endpointOverride(sandbox.endpoint())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** A Route53 client with SDK retries disabled, so every injected fault reaches the caller. */
  static Route53Client route53WithoutRetries(
      AwsSandbox sandbox, AwsCredentialsProvider credentials) {
    return Route53Client.builder()
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(credentials)
        .endpointOverride(sandbox.endpoint())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** An STS client (Query protocol) with the default account's credentials. */
  static StsClient sts(AwsSandbox sandbox) {
    return StsClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(DEFAULT_ACCOUNT)
        .endpointOverride(sandbox.endpoint())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /**
   * Credentials of {@code roleArn}, obtained and refreshed through STS AssumeRole against the
   * sandbox, as the worker gets a target account's credentials.
   */
  static StsAssumeRoleCredentialsProvider assumeRole(
      StsClient sts, String roleArn, String sessionName) {
    return StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts)
        .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(sessionName))
        .build();
  }

  private static software.amazon.awssdk.services.s3.S3ClientBuilder builder(AwsSandbox sandbox) {
    return S3Client.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(DEFAULT_ACCOUNT)
        .endpointOverride(sandbox.endpoint())
        .forcePathStyle(true)
        .httpClientBuilder(UrlConnectionHttpClient.builder());
  }
}
