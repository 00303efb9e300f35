package dev.dbops.sandbox;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Real SDK v2 S3 clients pointed at a sandbox, configured the way dbops activities configure them. */
final class SandboxClients {

    private SandboxClients() {
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

    /** A real RDS client (Query protocol) against the sandbox, SDK retries disabled so faults surface. */
    static RdsClient rds(AwsSandbox sandbox) {
        return RdsClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDSANDBOXEXAMPLE", "sandbox-secret")))
                .endpointOverride(sandbox.endpoint())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static software.amazon.awssdk.services.s3.S3ClientBuilder builder(AwsSandbox sandbox) {
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDSANDBOXEXAMPLE", "sandbox-secret")))
                .endpointOverride(sandbox.endpoint())
                .forcePathStyle(true)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
    }
}
