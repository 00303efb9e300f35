package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.StepRecord;
import java.util.List;

/**
 * The restored cluster's endpoints. Pointing applications (or a Route53 CNAME) at it is the next
 * step; DNS repointing arrives with the Route53 work of the staging rebuild.
 */
public record RollbackResult(
    String newClusterId,
    String snapshotId,
    ClusterEndpoints endpoints,
    List<String> instances,
    List<StepRecord> timeline) {}
