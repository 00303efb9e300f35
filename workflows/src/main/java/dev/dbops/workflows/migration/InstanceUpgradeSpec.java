package dev.dbops.workflows.migration;

/**
 * ModifyDBInstance of a MySQL 5.6 source to 5.7 (AllowMajorVersionUpgrade, ApplyImmediately): an
 * RDS MySQL 5.6 instance cannot have an Aurora read replica.
 *
 * @param parameterGroup the mysql5.7 DB parameter group to switch to (null: RDS's default mapping)
 */
public record InstanceUpgradeSpec(
    String instanceId, String targetEngineVersion, String parameterGroup) {}
