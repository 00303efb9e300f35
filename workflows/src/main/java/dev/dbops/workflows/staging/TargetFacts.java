package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.InstanceClassOffer;
import java.util.List;
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
 * @param instanceClassOffers whether the target account's RDS offers the request's instance class
 *     for the restored engine version (null when not asked, and in payloads written before it was)
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
    String newClusterOwner,
    List<InstanceClassOffer> instanceClassOffers) {

  public TargetFacts(
      String zoneName,
      boolean zonePrivate,
      String recordType,
      String currentValue,
      Long currentTtl,
      String oldClusterId,
      String oldClusterStatus,
      Map<String, String> oldClusterTags,
      boolean newClusterExists,
      String newClusterOwner) {
    this(
        zoneName,
        zonePrivate,
        recordType,
        currentValue,
        currentTtl,
        oldClusterId,
        oldClusterStatus,
        oldClusterTags,
        newClusterExists,
        newClusterOwner,
        null);
  }
}
