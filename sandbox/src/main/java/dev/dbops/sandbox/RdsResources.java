package dev.dbops.sandbox;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the sandbox's RDS clusters, instances and cluster snapshots live, keyed by account and id,
 * and how a caller's id or ARN finds one (only its own account's; another account's ARN finds
 * nothing). Guarded by {@link RdsSandbox}'s lock, like every RDS component.
 */
final class RdsResources {

  private static final Logger log = LoggerFactory.getLogger(RdsResources.class);

  /** Keyed by {@link #key(String, String)}: account + "/" + id. */
  final Map<String, RdsCluster> clusters = new LinkedHashMap<>();

  final Map<String, RdsInstance> instances = new LinkedHashMap<>();
  final Map<String, RdsSnapshot> snapshots = new LinkedHashMap<>();

  RdsCluster clusterOrFault(String account, String idOrArn) {
    RdsCluster c = clusters.get(ownKey(account, idOrArn, "cluster"));
    if (c == null) {
      throw RdsErrors.clusterNotFound(idOrArn).exception();
    }
    return c;
  }

  /** For the admin API: a missing cluster is the caller's mistake, not an RDS error. */
  RdsCluster existing(String account, String clusterId) {
    RdsCluster c = clusters.get(key(account, clusterId));
    if (c == null) {
      throw new IllegalArgumentException(
          "no RDS cluster " + clusterId + " in account " + account + " of the sandbox");
    }
    return c;
  }

  List<RdsCluster> allClusters(String account) {
    return clusters.values().stream().filter(c -> c.account.equals(account)).toList();
  }

  RdsInstance instanceOrFault(String account, String idOrArn) {
    RdsInstance i = instances.get(ownKey(account, idOrArn, "db"));
    if (i == null) {
      throw RdsErrors.instanceNotFound(idOrArn).exception();
    }
    return i;
  }

  List<RdsInstance> allInstances(String account) {
    return instances.values().stream().filter(i -> i.account.equals(account)).toList();
  }

  RdsCluster clusterOf(RdsInstance i) {
    return clusters.get(key(i.account, i.clusterId));
  }

  /** One of {@code account}'s own snapshots, by id or ARN. */
  RdsSnapshot snapshotOrFault(String account, String idOrArn) {
    RdsSnapshot s = snapshots.get(ownKey(account, idOrArn, "cluster-snapshot"));
    if (s == null) {
      throw RdsErrors.snapshotNotFound(idOrArn).exception();
    }
    return s;
  }

  List<RdsSnapshot> allSnapshots(String account) {
    return snapshots.values().stream().filter(s -> s.account.equals(account)).toList();
  }

  /**
   * The tags of one of {@code account}'s cluster, instance or cluster snapshot ARNs (live map,
   * modify under the lock).
   */
  Map<String, String> tagsOf(String account, String arn) {
    String[] parts = arn.split(":", 7);
    if (parts.length != 7 || !"arn".equals(parts[0]) || !"rds".equals(parts[2])) {
      throw RdsErrors.invalidParameterValue("Invalid resource name: " + arn).exception();
    }
    return switch (parts[5]) {
      case "cluster" -> clusterOrFault(account, arn).tags;
      case "db" -> instanceOrFault(account, arn).tags;
      case "cluster-snapshot" -> snapshotOrFault(account, arn).tags;
      default ->
          throw RdsErrors.invalidParameterValue(
                  "The sandbox (a test double) keeps no tags for " + arn)
              .exception();
    };
  }

  /** {@code c} replicates from nothing any more; its source no longer lists it. */
  void forgetReplicationSource(RdsCluster c) {
    if (c.replicationSource == null) {
      return;
    }
    Arn arn = Arn.parse(c.replicationSource, "db");
    RdsInstance source = arn == null ? null : instances.get(key(arn.account(), arn.id()));
    if (source != null) {
      source.replicaClusters.remove(c.id);
    }
    c.replicationSource = null;
  }

  /** Instances and clusters whose deletion the clock ended are gone. */
  void settleDeletions(Instant now) {
    for (Iterator<RdsInstance> it = instances.values().iterator(); it.hasNext(); ) {
      RdsInstance i = it.next();
      if (i.deletedAt != null && !now.isBefore(i.deletedAt)) {
        it.remove();
        RdsCluster c = clusters.get(key(i.account, i.clusterId));
        if (c != null) {
          c.members.remove(i.id);
        }
      }
    }
    for (Iterator<RdsCluster> it = clusters.values().iterator(); it.hasNext(); ) {
      RdsCluster c = it.next();
      if (c.deletedAt != null && !now.isBefore(c.deletedAt)) {
        it.remove();
        forgetReplicationSource(c);
        for (String member : c.members) {
          instances.remove(key(c.account, member));
        }
        log.info("[sandbox, test double] RDS cluster {}/{} deleted", c.account, c.id);
      }
    }
  }

  static String arn(String account, String type, String id) {
    return "arn:aws:rds:" + RdsSandbox.REGION + ":" + account + ":" + type + ":" + id;
  }

  static String key(String account, String id) {
    return account + "/" + id;
  }

  /**
   * The map key of {@code idOrArn} in {@code account}: an ARN of another account (or of another
   * resource type) yields a key that matches nothing, so the caller answers "not found".
   */
  static String ownKey(String account, String idOrArn, String type) {
    if (!idOrArn.startsWith("arn:")) {
      return key(account, idOrArn);
    }
    Arn arn = Arn.parse(idOrArn, type);
    return arn == null || !arn.account().equals(account) ? "-" : key(account, arn.id());
  }

  /** {@code arn:aws:rds:<region>:<account>:<type>:<id>}. */
  record Arn(String account, String id) {

    /** Null when {@code s} is not an RDS ARN of {@code type}. */
    static Arn parse(String s, String type) {
      String[] parts = s.split(":", 7);
      if (parts.length != 7
          || !"arn".equals(parts[0])
          || !"rds".equals(parts[2])
          || !type.equals(parts[5])) {
        return null;
      }
      return new Arn(parts[4], parts[6]);
    }
  }
}
