package dev.dbops.workflows.upgrade;

/**
 * ModifyDBCluster EngineVersion=target, AllowMajorVersionUpgrade, ApplyImmediately and the 5.7
 * parameter groups (null keeps / uses defaults).
 */
public record ModifySpec(
    String clusterId,
    String targetEngineVersion,
    String clusterParameterGroup,
    String instanceParameterGroup) {}
