package dev.dbops.activities.iam;

import static java.util.Map.entry;

import dev.dbops.sandbox.CallLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which IAM actions one AWS call needs, and on which resource where the sandbox's call log names
 * it. The table is written out by hand from the Service Authorization Reference and the S3 / RDS
 * user guides; an operation missing from it fails the test, so a new AWS call cannot go unchecked.
 */
final class IamActions {
  static final String REGION = "us-east-1";

  /**
   * One permission a call needs; {@code resource} null when the log cannot tell (action checked
   * only).
   */
  record Need(String action, String resource) {}

  /**
   * "service Operation" (the log's service and operation) → the IAM actions it is authorized
   * against. RDS creates that carry tags (every dbops create does: owner or workflow-id tags) are
   * also authorized against rds:AddTagsToResource ("tag on create").
   */
  static final Map<String, List<String>> TABLE =
      Map.ofEntries(
          // S3 (glacier-restore; the staging masking script)
          entry("s3 ListObjectsV2", List.of("s3:ListBucket")),
          entry(
              "s3 HeadObject",
              List.of("s3:GetObject")), // + s3:ListBucket when it answers 404, below
          entry("s3 GetObject", List.of("s3:GetObject")),
          entry("s3 RestoreObject", List.of("s3:RestoreObject")),
          entry("s3 CopyObject", List.of("s3:PutObject", "s3:GetObject")), // target, source
          // RDS reads
          entry("rds DescribeDBClusters", List.of("rds:DescribeDBClusters")),
          entry("rds DescribeDBInstances", List.of("rds:DescribeDBInstances")),
          entry("rds DescribeDBEngineVersions", List.of("rds:DescribeDBEngineVersions")),
          entry(
              "rds DescribeDBClusterParameterGroups",
              List.of("rds:DescribeDBClusterParameterGroups")),
          entry("rds DescribeDBParameterGroups", List.of("rds:DescribeDBParameterGroups")),
          entry(
              "rds DescribePendingMaintenanceActions",
              List.of("rds:DescribePendingMaintenanceActions")),
          entry("rds DescribeDBClusterSnapshots", List.of("rds:DescribeDBClusterSnapshots")),
          entry(
              "rds DescribeDBClusterSnapshotAttributes",
              List.of("rds:DescribeDBClusterSnapshotAttributes")),
          entry("rds DescribeEvents", List.of("rds:DescribeEvents")),
          entry(
              "rds DescribeOrderableDBInstanceOptions",
              List.of("rds:DescribeOrderableDBInstanceOptions")),
          // RDS creates (tag on create)
          entry(
              "rds CreateDBClusterSnapshot",
              List.of("rds:CreateDBClusterSnapshot", "rds:AddTagsToResource")),
          entry(
              "rds CopyDBClusterSnapshot",
              List.of("rds:CopyDBClusterSnapshot", "rds:AddTagsToResource")),
          entry(
              "rds RestoreDBClusterFromSnapshot",
              List.of("rds:RestoreDBClusterFromSnapshot", "rds:AddTagsToResource")),
          entry("rds CreateDBInstance", List.of("rds:CreateDBInstance", "rds:AddTagsToResource")),
          // RDS changes and deletes
          entry("rds ModifyDBCluster", List.of("rds:ModifyDBCluster")),
          entry("rds ModifyDBInstance", List.of("rds:ModifyDBInstance")),
          entry("rds CreateDBCluster", List.of("rds:CreateDBCluster", "rds:AddTagsToResource")),
          entry("rds PromoteReadReplicaDBCluster", List.of("rds:PromoteReadReplicaDBCluster")),
          entry(
              "rds ModifyDBClusterSnapshotAttribute",
              List.of("rds:ModifyDBClusterSnapshotAttribute")),
          entry("rds AddTagsToResource", List.of("rds:AddTagsToResource")),
          entry("rds DeleteDBInstance", List.of("rds:DeleteDBInstance")),
          entry(
              "rds DeleteDBCluster", List.of("rds:DeleteDBCluster")), // + the final snapshot, below
          entry("rds DeleteDBClusterSnapshot", List.of("rds:DeleteDBClusterSnapshot")),
          // STS, KMS, Route53
          entry("sts AssumeRole", List.of("sts:AssumeRole")),
          entry("kms DescribeKey", List.of("kms:DescribeKey")),
          entry("route53 GetHostedZone", List.of("route53:GetHostedZone")),
          entry("route53 ListResourceRecordSets", List.of("route53:ListResourceRecordSets")),
          entry("route53 ChangeResourceRecordSets", List.of("route53:ChangeResourceRecordSets")),
          entry("route53 GetChange", List.of("route53:GetChange")));

  private IamActions() {}

  /**
   * The permissions {@code call}, made as {@code account}, needs.
   *
   * @throws AssertionError when the operation is not in {@link #TABLE}
   */
  static List<Need> needs(CallLog.Call call, String account) {
    String op = call.service() + " " + call.operation();
    List<String> actions = TABLE.get(op);
    if (actions == null) {
      throw new AssertionError(
          "no IAM mapping for the AWS call "
              + op
              + " ("
              + call
              + "): add it to IamActions.TABLE"
              + " and to the policy of the procedure that makes it");
    }
    List<Need> out = new ArrayList<>();
    String b = call.bucket();
    String k = call.key();
    switch (op) {
      case "s3 ListObjectsV2" -> out.add(new Need("s3:ListBucket", s3(b, null)));
      case "s3 HeadObject" -> {
        out.add(new Need("s3:GetObject", s3(b, k)));
        // S3 answers a missing key with 404 only to a caller allowed to list the bucket (403
        // otherwise);
        // ObjectCopier relies on that 404 to tell "no copy yet" from "denied".
        if (call.status() == 404) out.add(new Need("s3:ListBucket", s3(b, null)));
      }
      case "s3 GetObject" -> out.add(new Need("s3:GetObject", s3(b, k)));
      case "s3 RestoreObject" -> out.add(new Need("s3:RestoreObject", s3(b, k)));
      case "s3 CopyObject" -> {
        out.add(new Need("s3:PutObject", s3(b, k)));
        out.add(new Need("s3:GetObject", null)); // the log names the target only
      }
      case "rds CreateDBClusterSnapshot" -> {
        out.add(new Need("rds:CreateDBClusterSnapshot", rds(account, "cluster", b)));
        out.add(new Need("rds:CreateDBClusterSnapshot", rds(account, "cluster-snapshot", k)));
        out.add(new Need("rds:AddTagsToResource", rds(account, "cluster-snapshot", k)));
      }
      case "rds CopyDBClusterSnapshot" -> {
        out.add(new Need("rds:CopyDBClusterSnapshot", rds(account, "cluster-snapshot", b)));
        out.add(new Need("rds:CopyDBClusterSnapshot", rds(account, "cluster-snapshot", k)));
        out.add(new Need("rds:AddTagsToResource", rds(account, "cluster-snapshot", k)));
      }
      case "rds RestoreDBClusterFromSnapshot" -> {
        out.add(new Need("rds:RestoreDBClusterFromSnapshot", rds(account, "cluster", b)));
        out.add(new Need("rds:RestoreDBClusterFromSnapshot", rds(account, "cluster-snapshot", k)));
        out.add(new Need("rds:AddTagsToResource", rds(account, "cluster", b)));
      }
      case "rds CreateDBInstance" -> {
        out.add(new Need("rds:CreateDBInstance", rds(account, "db", k)));
        out.add(new Need("rds:CreateDBInstance", rds(account, "cluster", b)));
        out.add(new Need("rds:AddTagsToResource", rds(account, "db", k)));
      }
      case "rds CreateDBCluster" -> {
        // An Aurora read replica (ReplicationSourceIdentifier, logged as the key): authorized
        // against the new cluster, tagged on create.
        out.add(new Need("rds:CreateDBCluster", rds(account, "cluster", b)));
        out.add(new Need("rds:AddTagsToResource", rds(account, "cluster", b)));
      }
      case "rds DeleteDBCluster" -> {
        out.add(new Need("rds:DeleteDBCluster", rds(account, "cluster", b)));
        if (k != null) {
          // FinalDBSnapshotIdentifier: deleting makes that snapshot, authorized as a resource of
          // the delete.
          out.add(new Need("rds:DeleteDBCluster", rds(account, "cluster-snapshot", k)));
          out.add(new Need("rds:CreateDBClusterSnapshot", rds(account, "cluster-snapshot", k)));
        }
      }
      case "rds DescribeDBClusters", "rds ModifyDBCluster", "rds PromoteReadReplicaDBCluster" ->
          out.add(new Need(actions.get(0), rds(account, "cluster", b)));
      case "rds DescribeDBInstances", "rds DeleteDBInstance", "rds ModifyDBInstance" ->
          out.add(new Need(actions.get(0), rds(account, "db", b)));
      case "rds DescribeDBClusterSnapshots",
          "rds DescribeDBClusterSnapshotAttributes",
          "rds ModifyDBClusterSnapshotAttribute",
          "rds DeleteDBClusterSnapshot" ->
          out.add(new Need(actions.get(0), rds(account, "cluster-snapshot", b)));
      case "rds DescribeDBClusterParameterGroups" ->
          out.add(new Need(actions.get(0), rds(account, "cluster-pg", b)));
      case "rds DescribeDBParameterGroups" ->
          out.add(new Need(actions.get(0), rds(account, "pg", b)));
      case "rds AddTagsToResource" ->
          out.add(new Need(actions.get(0), b)); // ResourceName is an ARN
      case "sts AssumeRole" -> out.add(new Need("sts:AssumeRole", b)); // RoleArn
      case "kms DescribeKey" ->
          out.add(new Need("kms:DescribeKey", b != null && b.startsWith("arn:") ? b : null));
      case "route53 GetHostedZone",
          "route53 ListResourceRecordSets",
          "route53 ChangeResourceRecordSets" ->
          out.add(
              new Need(actions.get(0), "arn:aws:route53:::hostedzone/" + strip(b, "/hostedzone/")));
      case "route53 GetChange" ->
          out.add(new Need(actions.get(0), "arn:aws:route53:::change/" + strip(b, "/change/")));
      // DescribeDBEngineVersions, DescribePendingMaintenanceActions, DescribeEvents,
      // DescribeOrderableDBInstanceOptions: no resource-level scoping used
      default -> actions.forEach(a -> out.add(new Need(a, null)));
    }
    return out;
  }

  private static String s3(String bucket, String key) {
    return "arn:aws:s3:::" + bucket + (key == null ? "" : "/" + key);
  }

  /**
   * {@code arn:aws:rds:<region>:<account>:<type>:<id>}; an id that already is an ARN stays; no id →
   * unknown.
   */
  private static String rds(String account, String type, String id) {
    if (id == null) return null;
    if (id.startsWith("arn:")) return id;
    return "arn:aws:rds:" + REGION + ":" + account + ":" + type + ":" + id;
  }

  private static String strip(String id, String prefix) {
    return id != null && id.startsWith(prefix) ? id.substring(prefix.length()) : id;
  }
}
