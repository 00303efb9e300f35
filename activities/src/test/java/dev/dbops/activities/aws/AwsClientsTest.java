package dev.dbops.activities.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

class AwsClientsTest {
  @Test
  void givenNoEndpointOverride_whenBuilt_thenRealAwsInTheRegion() {
    try (S3Client s3 = AwsClients.s3(AwsSettings.aws("eu-west-1"), new SimpleMeterRegistry())) {
      assertEquals(Region.EU_WEST_1, s3.serviceClientConfiguration().region());
      assertTrue(s3.serviceClientConfiguration().endpointOverride().isEmpty());
    }
  }

  @Test
  void givenSandboxEndpoint_whenBuilt_thenEveryCallGoesThere() {
    URI endpoint = URI.create("http://127.0.0.1:9");
    try (S3Client s3 = AwsClients.s3(AwsSettings.sandbox(endpoint), new SimpleMeterRegistry())) {
      assertEquals(endpoint, s3.serviceClientConfiguration().endpointOverride().orElseThrow());
    }
  }

  @Test
  void givenSandboxEndpoint_whenRdsAndSecretsManagerBuilt_thenTheyGoThereToo() {
    URI endpoint = URI.create("http://127.0.0.1:9");
    try (RdsClient rds = AwsClients.rds(AwsSettings.sandbox(endpoint), new SimpleMeterRegistry());
        SecretsManagerClient sm =
            AwsClients.secretsManager(AwsSettings.sandbox(endpoint), new SimpleMeterRegistry())) {
      assertEquals(endpoint, rds.serviceClientConfiguration().endpointOverride().orElseThrow());
      assertEquals(endpoint, sm.serviceClientConfiguration().endpointOverride().orElseThrow());
    }
  }

  @Test
  void givenNoEndpointOverride_whenRdsBuilt_thenRealAwsInTheRegion() {
    try (RdsClient rds = AwsClients.rds(AwsSettings.aws("eu-west-1"), new SimpleMeterRegistry())) {
      assertEquals(Region.EU_WEST_1, rds.serviceClientConfiguration().region());
      assertTrue(rds.serviceClientConfiguration().endpointOverride().isEmpty());
    }
  }
}
