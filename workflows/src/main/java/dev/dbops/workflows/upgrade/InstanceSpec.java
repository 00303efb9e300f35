package dev.dbops.workflows.upgrade;

import java.util.Map;

/**
 * CreateDBInstance in a cluster.
 *
 * @param parameterGroup the instance's DB parameter group (null: the engine's default; null in
 *     payloads written before it was asked)
 */
public record InstanceSpec(
    String instanceId,
    String clusterId,
    String instanceClass,
    String engine,
    Map<String, String> tags,
    String parameterGroup) {
  public InstanceSpec(
      String instanceId,
      String clusterId,
      String instanceClass,
      String engine,
      Map<String, String> tags) {
    this(instanceId, clusterId, instanceClass, engine, tags, null);
  }
}
