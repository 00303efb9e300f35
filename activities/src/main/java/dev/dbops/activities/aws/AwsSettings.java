package dev.dbops.activities.aws;

import java.net.URI;
import java.util.Objects;

/**
 * Where AWS clients point. Holds no secrets: real AWS uses the default credential chain, the
 * sandbox a fixed, meaningless key pair.
 *
 * @param region AWS region, e.g. {@code us-east-1}
 * @param endpointOverride the local sandbox's endpoint; null means real AWS
 */
public record AwsSettings(String region, URI endpointOverride) {
  public AwsSettings {
    Objects.requireNonNull(region, "region");
  }

  /** Real AWS in {@code region}, credentials from the default chain. */
  public static AwsSettings aws(String region) {
    return new AwsSettings(region, null);
  }

  /** The local sandbox at {@code endpoint} (path-style, static sandbox credentials). */
  public static AwsSettings sandbox(URI endpoint) {
    return new AwsSettings("us-east-1", Objects.requireNonNull(endpoint, "endpoint"));
  }

  public boolean usesSandbox() {
    return endpointOverride != null;
  }
}
