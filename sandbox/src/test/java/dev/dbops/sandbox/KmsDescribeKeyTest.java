package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.NotFoundException;

class KmsDescribeKeyTest {
  AwsSandbox sandbox;
  KmsClient kms;

  @BeforeEach
  void setUp() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    kms =
        KmsClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(SandboxClients.DEFAULT_ACCOUNT)
            .endpointOverride(sandbox.endpoint())
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
            .build();
  }

  @AfterEach
  void tearDown() {
    kms.close();
    sandbox.close();
  }

  @Test
  void givenTheDefaultRdsKeyAndACustomerKey_whenDescribed_thenKeyManagerTellsThemApart() {
    String account = SandboxAccounts.DEFAULT_ACCOUNT;
    String aws = sandbox.accounts().kms().defaultRdsKey(account);
    String cmk = sandbox.accounts().kms().createCustomerKey(account, "staging-share");
    assertEquals(KeyManagerType.AWS, kms.describeKey(b -> b.keyId(aws)).keyMetadata().keyManager());
    assertEquals(
        KeyManagerType.AWS,
        kms.describeKey(b -> b.keyId("alias/aws/rds")).keyMetadata().keyManager());
    assertEquals(
        KeyManagerType.CUSTOMER, kms.describeKey(b -> b.keyId(cmk)).keyMetadata().keyManager());
    assertEquals(cmk, kms.describeKey(b -> b.keyId("alias/staging-share")).keyMetadata().arn());
  }

  @Test
  void givenAKeyThatDoesNotExist_whenDescribed_thenNotFound() {
    NotFoundException e =
        assertThrows(
            NotFoundException.class,
            () ->
                kms.describeKey(
                    b ->
                        b.keyId(
                            "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000")));
    assertEquals("NotFoundException", e.awsErrorDetails().errorCode());
  }

  @Test
  void givenThrottling_whenDescribed_thenTheSdkRetriesThrough() {
    sandbox.faults().script("DescribeKey", java.util.List.of(Faults.Kind.THROTTLE));
    assertEquals(
        KeyManagerType.AWS,
        kms.describeKey(b -> b.keyId("alias/aws/rds")).keyMetadata().keyManager());
  }
}
