package dev.dbops.workflows.staging;

import java.util.Map;

/**
 * The target account before the run changes anything.
 *
 * @param zoneName the hosted zone's name (null when the zone was not found)
 * @param recordType type of the record named in the request (null when absent)
 * @param currentValue what the CNAME points at now (kept for revert)
 * @param oldClusterId the named old cluster, or the one whose endpoint the CNAME points at; null
 *     when none
 * @param oldClusterTags its tags ({@code dbops:owner} marks a cluster dbops created)
 * @param newClusterExists a cluster with this run's derived id already exists (a resumed run)
 * @param newClusterOwner that cluster's {@code dbops:owner} tag
 */
public record TargetFacts(
    String zoneName,
    boolean zonePrivate,
    String recordType,
    String currentValue,
    Long currentTtl,
    String oldClusterId,
    String oldClusterStatus,
    Map<String, String> oldClusterTags,
    boolean newClusterExists,
    String newClusterOwner) {}
