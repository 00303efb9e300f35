package dev.dbops.workflows.upgrade;

import java.util.Map;

/** CreateDBInstance in a cluster. */
public record InstanceSpec(
    String instanceId,
    String clusterId,
    String instanceClass,
    String engine,
    Map<String, String> tags) {}
