package dev.dbops.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * RDS Query-protocol XML: the {@code <XxxResponse><XxxResult>…</XxxResult><ResponseMetadata>}
 * envelope, the error document, and the shapes (DBCluster, DBInstance, DBClusterSnapshot, Event, …)
 * with the list member names the SDK model uses ({@code <DBClusterMembers><DBClusterMember>},
 * {@code <TagList><Tag>}, {@code <ValidUpgradeTarget><UpgradeTarget>}, …).
 */
final class RdsXml {

  static final String NAMESPACE = "http://rds.amazonaws.com/doc/2014-10-31/";

  private RdsXml() {}

  static byte[] response(String action, String requestId, Consumer<XmlWriter> body) {
    return QueryXml.response(NAMESPACE, action, requestId, body);
  }

  static byte[] error(ServiceError error, String requestId) {
    return QueryXml.error(NAMESPACE, error, requestId);
  }

  static void cluster(XmlWriter w, RdsResources rds, RdsCluster c, Instant now) {
    String region = RdsSandbox.REGION;
    w.start("DBCluster")
        .element("AllocatedStorage", 1)
        .start("AvailabilityZones")
        .element("AvailabilityZone", region + "a")
        .element("AvailabilityZone", region + "b")
        .element("AvailabilityZone", region + "c")
        .end()
        .element("BackupRetentionPeriod", 7)
        .element("DBClusterIdentifier", c.id)
        .element("DBClusterParameterGroup", c.clusterParameterGroup)
        .element("DBSubnetGroup", "default")
        .element("Status", c.status(now))
        .element("EarliestRestorableTime", Timestamps.iso(c.createdAt))
        .element("Endpoint", c.endpoint(region))
        .element("ReaderEndpoint", c.readerEndpoint(region))
        .element("MultiAZ", c.members.size() > 1)
        .element("Engine", c.engine())
        .element("EngineVersion", c.version.version())
        .element("LatestRestorableTime", Timestamps.iso(now))
        .element("Port", c.port())
        .element("MasterUsername", c.masterUsername)
        .element("PreferredBackupWindow", "07:00-09:00")
        .element("PreferredMaintenanceWindow", "sun:10:00-sun:10:30")
        .start("DBClusterMembers");
    for (int n = 0; n < c.members.size(); n++) {
      RdsInstance i = rds.instanceOrFault(c.account, c.members.get(n));
      w.start("DBClusterMember")
          .element("DBInstanceIdentifier", i.id)
          .element("IsClusterWriter", n == 0)
          .element("DBClusterParameterGroupStatus", "in-sync")
          .element("PromotionTier", i.promotionTier)
          .end();
    }
    w.end()
        .element("HostedZoneId", "ZSANDBOX00000")
        .element("StorageEncrypted", c.storageEncrypted)
        .element("KmsKeyId", c.kmsKeyId)
        .element("DbClusterResourceId", c.resourceId)
        .element("DBClusterArn", c.arn)
        .element("ReplicationSourceIdentifier", c.replicationSource)
        .element("ClusterCreateTime", Timestamps.iso(c.createdAt));
    if (c.backtrackWindow > 0) {
      w.element("EarliestBacktrackTime", Timestamps.iso(now.minusSeconds(c.backtrackWindow)))
          .element("BacktrackWindow", c.backtrackWindow);
    }
    if (c.pendingEngineVersion != null) {
      w.start("PendingModifiedValues").element("EngineVersion", c.pendingEngineVersion).end();
    }
    w.element("EngineMode", "provisioned")
        .element("DeletionProtection", false)
        .element("HttpEndpointEnabled", false)
        .element("CopyTagsToSnapshot", false)
        .element("CrossAccountClone", false);
    tagList(w, c.tags);
    w.end();
  }

  /**
   * @param c the instance's cluster; null for a standalone RDS for MySQL instance
   */
  static void instance(XmlWriter w, RdsInstance i, RdsCluster c, Instant now) {
    String region = RdsSandbox.REGION;
    boolean standalone = c == null;
    w.start("DBInstance")
        .element("DBInstanceIdentifier", i.id)
        .element("DBInstanceClass", i.instanceClass)
        .element("Engine", standalone ? i.version.engine() : c.engine())
        .element("DBInstanceStatus", i.status(c, now))
        .element("MasterUsername", standalone ? i.masterUsername : c.masterUsername)
        .start("Endpoint")
        .element("Address", standalone ? i.endpoint(region) : c.instanceEndpoint(i.id, region))
        .element("Port", standalone ? i.port() : c.port())
        .element("HostedZoneId", "ZSANDBOX00000")
        .end()
        .element("AllocatedStorage", standalone ? 100 : 1)
        .element("InstanceCreateTime", Timestamps.iso(i.createdAt))
        .element("PreferredBackupWindow", "07:00-09:00")
        .element("BackupRetentionPeriod", standalone ? i.backupRetention : 7)
        .start("VpcSecurityGroups")
        .start("VpcSecurityGroupMembership")
        .element("VpcSecurityGroupId", "sg-sandbox0000000001")
        .element("Status", "active")
        .end()
        .end()
        .start("DBParameterGroups")
        .start("DBParameterGroup")
        .element("DBParameterGroupName", i.parameterGroup)
        .element("ParameterApplyStatus", "in-sync")
        .end()
        .end()
        .element("AvailabilityZone", region + "a")
        .start("DBSubnetGroup")
        .element("DBSubnetGroupName", "default")
        .element("SubnetGroupStatus", "Complete")
        .end()
        .element("PreferredMaintenanceWindow", "sun:10:00-sun:10:30")
        .element("MultiAZ", false)
        .element("EngineVersion", standalone ? i.version.version() : c.version.version())
        .element("AutoMinorVersionUpgrade", true);
    if (standalone && i.pendingEngineVersion != null) {
      w.start("PendingModifiedValues").element("EngineVersion", i.pendingEngineVersion).end();
    }
    if (standalone) {
      w.start("ReadReplicaDBClusterIdentifiers");
      i.replicaClusters.forEach(id -> w.element("ReadReplicaDBClusterIdentifier", id));
      w.end();
    }
    w.element("LicenseModel", "general-public-license")
        .element("PubliclyAccessible", false)
        .element("StorageType", standalone ? "gp2" : "aurora")
        .element("DbInstancePort", 0);
    if (!standalone) {
      w.element("DBClusterIdentifier", c.id);
    }
    w.element("StorageEncrypted", !standalone && c.storageEncrypted)
        .element("KmsKeyId", standalone ? null : c.kmsKeyId)
        .element("DbiResourceId", "db-SANDBOX-" + i.id)
        .element("PromotionTier", i.promotionTier)
        .element("DBInstanceArn", i.arn)
        .element("DeletionProtection", false);
    tagList(w, i.tags);
    w.end();
  }

  /** The snapshot as its owner sees it. */
  static void snapshot(XmlWriter w, RdsSnapshot s, Instant now) {
    snapshot(w, s, now, s.account, s.status(now));
  }

  /**
   * The snapshot as {@code viewer} sees it: SnapshotType {@code shared} for another account's
   * snapshot.
   *
   * @param status the Status to show (DeleteDBClusterSnapshot answers {@code deleted})
   */
  static void snapshot(XmlWriter w, RdsSnapshot s, Instant now, String viewer, String status) {
    String region = RdsSandbox.REGION;
    w.start("DBClusterSnapshot")
        .start("AvailabilityZones")
        .element("AvailabilityZone", region + "a")
        .element("AvailabilityZone", region + "b")
        .element("AvailabilityZone", region + "c")
        .end()
        .element("DBClusterSnapshotIdentifier", s.account.equals(viewer) ? s.id : s.arn)
        .element("DBClusterIdentifier", s.clusterId)
        .element("SnapshotCreateTime", Timestamps.iso(s.createdAt))
        .element("Engine", s.version.engine())
        .element("EngineMode", "provisioned")
        .element("AllocatedStorage", 1)
        .element("Status", status)
        .element("Port", s.port)
        .element("ClusterCreateTime", Timestamps.iso(s.clusterCreatedAt))
        .element("MasterUsername", s.masterUsername)
        .element("EngineVersion", s.version.version())
        .element("LicenseModel", "aurora")
        .element("SnapshotType", s.account.equals(viewer) ? "manual" : "shared")
        .element("PercentProgress", s.percentProgress(now))
        .element("StorageEncrypted", s.storageEncrypted)
        .element("KmsKeyId", s.kmsKeyId)
        .element("DBClusterSnapshotArn", s.arn)
        .element("SourceDBClusterSnapshotArn", s.sourceSnapshotArn);
    tagList(w, s.account.equals(viewer) ? s.tags : Map.of());
    w.end();
  }

  /** {@code <DBClusterSnapshotAttributesResult>} with the {@code restore} attribute. */
  static void snapshotAttributes(XmlWriter w, RdsSnapshot s) {
    w.start("DBClusterSnapshotAttributesResult")
        .element("DBClusterSnapshotIdentifier", s.id)
        .start("DBClusterSnapshotAttributes")
        .start("DBClusterSnapshotAttribute")
        .element("AttributeName", "restore")
        .start("AttributeValues");
    s.sharedWith.forEach(account -> w.element("AttributeValue", account));
    w.end().end().end().end();
  }

  static void engineVersion(XmlWriter w, RdsEngineVersions.Version v) {
    w.start("DBEngineVersion")
        .element("Engine", v.engine())
        .element("EngineVersion", v.version())
        .element("DBParameterGroupFamily", v.family())
        .element(
            "DBEngineDescription",
            v.engine().equals("aurora") ? "Aurora (MySQL 5.6)" : "Aurora MySQL")
        .element("DBEngineVersionDescription", v.description())
        .start("ValidUpgradeTarget");
    for (RdsEngineVersions.Target t : RdsEngineVersions.upgradeTargets(v)) {
      w.start("UpgradeTarget")
          .element("Engine", t.to().engine())
          .element("EngineVersion", t.to().version())
          .element("Description", t.to().description())
          .element("AutoUpgrade", t.autoUpgrade())
          .element("IsMajorVersionUpgrade", t.majorVersionUpgrade())
          .end();
    }
    w.end()
        .element("SupportsLogExportsToCloudwatchLogs", true)
        .element("SupportsReadReplica", false)
        .element("Status", "available");
    w.end();
  }

  static void orderableOption(XmlWriter w, RdsOrderableOptions.Option o) {
    String region = RdsSandbox.REGION;
    w.start("OrderableDBInstanceOption")
        .element("Engine", o.engine())
        .element("EngineVersion", o.engineVersion())
        .element("DBInstanceClass", o.instanceClass())
        .element("LicenseModel", "general-public-license")
        .start("AvailabilityZones");
    for (String zone : List.of("a", "b", "c")) {
      w.start("AvailabilityZone").element("Name", region + zone).end();
    }
    w.end()
        .element("MultiAZCapable", !o.aurora())
        .element("ReadReplicaCapable", !o.aurora())
        .element("Vpc", true)
        .element("SupportsStorageEncryption", true)
        .element("StorageType", o.aurora() ? "aurora" : "gp2")
        .element("SupportsIops", false)
        .element("SupportsEnhancedMonitoring", true)
        .element("SupportsIAMDatabaseAuthentication", true)
        .element("SupportsPerformanceInsights", true)
        .start("SupportedEngineModes")
        .element("member", "provisioned")
        .end()
        .element("SupportsClusters", o.aurora());
    w.end();
  }

  static void event(XmlWriter w, RdsEvent e) {
    w.start("Event")
        .element("SourceIdentifier", e.sourceIdentifier())
        .element("SourceType", e.sourceType())
        .element("Message", e.message())
        .start("EventCategories");
    for (String category : e.categories()) {
      w.element("EventCategory", category);
    }
    w.end().element("Date", Timestamps.iso(e.date())).element("SourceArn", e.sourceArn()).end();
  }

  static void pendingActions(
      XmlWriter w, String resourceArn, List<RdsCluster.PendingAction> actions) {
    w.start("ResourcePendingMaintenanceActions")
        .element("ResourceIdentifier", resourceArn)
        .start("PendingMaintenanceActionDetails");
    for (RdsCluster.PendingAction a : actions) {
      w.start("PendingMaintenanceAction")
          .element("Action", a.action())
          .element("AutoAppliedAfterDate", Timestamps.iso(a.autoAppliedAfter()))
          .element("Description", a.description())
          .end();
    }
    w.end().end();
  }

  static void tagList(XmlWriter w, Map<String, String> tags) {
    w.start("TagList");
    tags.forEach((k, v) -> w.start("Tag").element("Key", k).element("Value", v).end());
    w.end();
  }
}
