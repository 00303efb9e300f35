package dev.dbops.workflows.staging;

import java.util.List;
import java.util.Map;

/**
 * The production cluster as the source account sees it.
 *
 * @param defaultKmsKey encrypted with the account's {@code aws/rds} key, which cannot be shared
 */
public record SourceFacts(
    String clusterId,
    String arn,
    String status,
    String engine,
    String engineVersion,
    String endpoint,
    int port,
    String masterUsername,
    boolean storageEncrypted,
    String kmsKeyId,
    boolean defaultKmsKey,
    List<String> vpcSecurityGroupIds,
    String dbSubnetGroup,
    Map<String, String> tags) {}
