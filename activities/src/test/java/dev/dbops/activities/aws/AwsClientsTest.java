package dev.dbops.activities.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

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
}
