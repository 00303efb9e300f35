package dev.dbops.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * RDS over the Query protocol: a form-encoded POST with {@code Action=…&Version=2014-10-31}, XML
 * answers, errors as {@code <ErrorResponse><Error><Type/><Code/><Message/></Error>}. Serves from
 * {@link RdsSandbox}, one call at a time (under its lock), after settling what the clock ended, in
 * the account of the caller's credentials ({@link SandboxAccounts#caller}).
 *
 * <p>Call log: {@code bucket} holds the main resource (DBClusterIdentifier, else
 * DBInstanceIdentifier, DBClusterSnapshotIdentifier, SourceDBClusterSnapshotIdentifier,
 * SourceIdentifier, ResourceName), {@code key} the second one (the snapshot of
 * CreateDBClusterSnapshot and RestoreDBClusterFromSnapshot, the instance of CreateDBInstance, the
 * target of CopyDBClusterSnapshot, the final snapshot of DeleteDBCluster, the replication source of
 * CreateDBCluster).
 */
final class RdsHandler implements ServiceHandler {

  private static final int DEFAULT_EVENT_WINDOW_MINUTES = 60;

  private final RdsSandbox rds;
  private final AtomicLong requestIds = new AtomicLong();

  RdsHandler(RdsSandbox rds) {
    this.rds = rds;
  }

  @Override
  public String service() {
    return "rds";
  }

  @Override
  public RequestTarget target(SandboxRequest req) {
    Map<String, String> p = params(req);
    String action = p.getOrDefault("Action", "MissingAction");
    String resource =
        first(
            p,
            "DBClusterIdentifier",
            "DBInstanceIdentifier",
            "DBClusterSnapshotIdentifier",
            "SourceDBClusterSnapshotIdentifier",
            "SourceIdentifier",
            "ResourceName",
            "ResourceIdentifier",
            "DBClusterParameterGroupName",
            "DBParameterGroupName");
    String secondary =
        switch (action) {
          case "CreateDBClusterSnapshot" -> p.get("DBClusterSnapshotIdentifier");
          case "RestoreDBClusterFromSnapshot" -> p.get("SnapshotIdentifier");
          case "CreateDBInstance" -> p.get("DBInstanceIdentifier");
          case "CopyDBClusterSnapshot" -> p.get("TargetDBClusterSnapshotIdentifier");
          case "DeleteDBCluster" -> p.get("FinalDBSnapshotIdentifier");
          case "CreateDBCluster" -> p.get("ReplicationSourceIdentifier");
          default -> null;
        };
    return new RequestTarget(action, resource, secondary);
  }

  @Override
  public SandboxResponse handle(SandboxRequest req, RequestTarget target) {
    Map<String, String> p = params(req);
    String account = rds.accounts().caller(req.scope().accessKeyId()).account();
    synchronized (rds) {
      rds.settle(rds.now());
      return serve(account, target.operation(), p, rds.now());
    }
  }

  private SandboxResponse serve(String account, String action, Map<String, String> p, Instant now) {
    return switch (action) {
      case "DescribeDBClusters" -> describeClusters(account, p, now);
      case "DescribeDBInstances" -> describeInstances(account, p, now);
      case "DescribeDBEngineVersions" -> describeEngineVersions(p);
      case "DescribePendingMaintenanceActions" -> describePendingMaintenance(account, p);
      case "DescribeOrderableDBInstanceOptions" -> describeOrderableOptions(p);
      case "DescribeDBClusterParameterGroups" ->
          describeParameterGroups(
              account,
              action,
              p,
              rds.parameterGroups().clusterGroups(),
              "DBClusterParameterGroups",
              "DBClusterParameterGroup",
              "DBClusterParameterGroupName",
              "DBClusterParameterGroupArn",
              true);
      case "DescribeDBParameterGroups" ->
          describeParameterGroups(
              account,
              action,
              p,
              rds.parameterGroups().dbGroups(),
              "DBParameterGroups",
              "DBParameterGroup",
              "DBParameterGroupName",
              "DBParameterGroupArn",
              false);
      case "CreateDBClusterSnapshot" -> createSnapshot(account, p, now);
      case "CopyDBClusterSnapshot" -> copySnapshot(account, p, now);
      case "DescribeDBClusterSnapshots" -> describeSnapshots(account, p, now);
      case "ModifyDBClusterSnapshotAttribute" -> {
        RdsSnapshot s =
            rds.snapshotOps()
                .modifyAttribute(
                    account,
                    required(p, "DBClusterSnapshotIdentifier"),
                    required(p, "AttributeName"),
                    strings(p, "ValuesToAdd"),
                    strings(p, "ValuesToRemove"));
        yield ok(action, w -> RdsXml.snapshotAttributes(w, s));
      }
      case "DescribeDBClusterSnapshotAttributes" -> {
        RdsSnapshot s =
            rds.resources().snapshotOrFault(account, required(p, "DBClusterSnapshotIdentifier"));
        yield ok(action, w -> RdsXml.snapshotAttributes(w, s));
      }
      case "DeleteDBClusterSnapshot" -> {
        RdsSnapshot s =
            rds.snapshotOps().delete(account, required(p, "DBClusterSnapshotIdentifier"));
        yield ok(action, w -> RdsXml.snapshot(w, s, now, account, "deleted"));
      }
      case "ModifyDBCluster" -> modifyCluster(account, p, now);
      case "DeleteDBCluster" -> {
        RdsCluster c =
            rds.clusterOps()
                .delete(
                    account,
                    required(p, "DBClusterIdentifier"),
                    bool(p, "SkipFinalSnapshot"),
                    p.get("FinalDBSnapshotIdentifier"));
        yield ok(action, w -> RdsXml.cluster(w, rds.resources(), c, now));
      }
      case "DescribeEvents" -> describeEvents(account, p, now);
      case "RestoreDBClusterFromSnapshot" -> restore(account, p, now);
      case "CreateDBCluster" -> {
        RdsCluster c =
            rds.readReplicaOps()
                .create(
                    account,
                    new RdsReadReplicas.Create(
                        required(p, "DBClusterIdentifier"),
                        required(p, "Engine"),
                        p.get("EngineVersion"),
                        p.get("ReplicationSourceIdentifier"),
                        p.get("DBClusterParameterGroupName"),
                        p.containsKey("Port") ? Integer.valueOf(p.get("Port")) : null,
                        tags(p)));
        yield ok(action, w -> RdsXml.cluster(w, rds.resources(), c, now));
      }
      case "ModifyDBInstance" -> {
        RdsInstance i =
            rds.instanceOps()
                .modify(
                    account,
                    new RdsInstances.Modification(
                        required(p, "DBInstanceIdentifier"),
                        p.get("EngineVersion"),
                        bool(p, "AllowMajorVersionUpgrade"),
                        bool(p, "ApplyImmediately"),
                        p.get("DBParameterGroupName"),
                        p.containsKey("BackupRetentionPeriod")
                            ? integer(p, "BackupRetentionPeriod")
                            : null));
        yield ok(action, w -> RdsXml.instance(w, i, rds.resources().clusterOf(i), now));
      }
      case "PromoteReadReplicaDBCluster" -> {
        RdsCluster c = rds.readReplicaOps().promote(account, required(p, "DBClusterIdentifier"));
        yield ok(action, w -> RdsXml.cluster(w, rds.resources(), c, now));
      }
      case "CreateDBInstance" -> createInstance(account, p, now);
      case "DeleteDBInstance" -> {
        RdsInstance i = rds.instanceOps().delete(account, required(p, "DBInstanceIdentifier"));
        yield ok(action, w -> RdsXml.instance(w, i, rds.resources().clusterOf(i), now));
      }
      case "AddTagsToResource" -> {
        rds.resources().tagsOf(account, required(p, "ResourceName")).putAll(tags(p));
        yield ok(action, null);
      }
      case "RemoveTagsFromResource" -> {
        Map<String, String> tags = rds.resources().tagsOf(account, required(p, "ResourceName"));
        strings(p, "TagKeys").forEach(tags::remove);
        yield ok(action, null);
      }
      case "ListTagsForResource" -> {
        Map<String, String> tags = rds.resources().tagsOf(account, required(p, "ResourceName"));
        yield ok(action, w -> RdsXml.tagList(w, tags));
      }
      case "MissingAction" ->
          throw new ServiceError(
                  400, "MissingAction", "The request must contain the parameter Action")
              .exception();
      default -> throw RdsErrors.invalidAction(action).exception();
    };
  }

  private SandboxResponse describeClusters(String account, Map<String, String> p, Instant now) {
    String id = p.get("DBClusterIdentifier");
    List<String> filterIds = filter(p, "db-cluster-id");
    List<RdsCluster> clusters =
        id != null
            ? List.of(rds.resources().clusterOrFault(account, id))
            : rds.resources().allClusters(account).stream()
                .filter(
                    c -> filterIds == null || filterIds.contains(c.id) || filterIds.contains(c.arn))
                .toList();
    return ok(
        "DescribeDBClusters",
        w -> {
          w.start("DBClusters");
          clusters.forEach(c -> RdsXml.cluster(w, rds.resources(), c, now));
          w.end();
        });
  }

  private SandboxResponse describeInstances(String account, Map<String, String> p, Instant now) {
    String id = p.get("DBInstanceIdentifier");
    List<String> clusterIds = filter(p, "db-cluster-id");
    List<String> instanceIds = filter(p, "db-instance-id");
    List<RdsInstance> instances =
        id != null
            ? List.of(rds.resources().instanceOrFault(account, id))
            : rds.resources().allInstances(account).stream()
                .filter(
                    i ->
                        clusterIds == null
                            || (!i.standalone()
                                && (clusterIds.contains(i.clusterId)
                                    || clusterIds.contains(rds.resources().clusterOf(i).arn))))
                .filter(
                    i ->
                        instanceIds == null
                            || instanceIds.contains(i.id)
                            || instanceIds.contains(i.arn))
                .toList();
    return ok(
        "DescribeDBInstances",
        w -> {
          w.start("DBInstances");
          instances.forEach(i -> RdsXml.instance(w, i, rds.resources().clusterOf(i), now));
          w.end();
        });
  }

  private SandboxResponse describeEngineVersions(Map<String, String> p) {
    String engine = p.get("Engine");
    String version = p.get("EngineVersion");
    String family = p.get("DBParameterGroupFamily");
    List<RdsEngineVersions.Version> versions =
        RdsEngineVersions.ALL.stream()
            .filter(v -> engine == null || v.engine().equals(engine))
            .filter(v -> version == null || v.version().equals(version))
            .filter(v -> family == null || v.family().equals(family))
            .toList();
    return ok(
        "DescribeDBEngineVersions",
        w -> {
          w.start("DBEngineVersions");
          versions.forEach(v -> RdsXml.engineVersion(w, v));
          w.end();
        });
  }

  /**
   * Engine required; EngineVersion and DBInstanceClass narrow the list. Pages of MaxRecords
   * (20–1000, default 100) with an opaque Marker, as AWS.
   */
  private SandboxResponse describeOrderableOptions(Map<String, String> p) {
    String engine = required(p, "Engine");
    int max = p.containsKey("MaxRecords") ? integer(p, "MaxRecords") : 100;
    if (max < 20 || max > 1000) {
      throw RdsErrors.invalidParameterValue("MaxRecords must be between 20 and 1000: " + max)
          .exception();
    }
    int from = marker(p.get("Marker"));
    List<RdsOrderableOptions.Option> all =
        RdsOrderableOptions.find(engine, p.get("EngineVersion"), p.get("DBInstanceClass"));
    List<RdsOrderableOptions.Option> page =
        all.subList(Math.min(from, all.size()), Math.min(from + max, all.size()));
    String next = from + max < all.size() ? "sandbox-orderable-" + (from + max) : null;
    return ok(
        "DescribeOrderableDBInstanceOptions",
        w -> {
          w.start("OrderableDBInstanceOptions");
          page.forEach(o -> RdsXml.orderableOption(w, o));
          w.end();
          w.element("Marker", next);
        });
  }

  private SandboxResponse describePendingMaintenance(String account, Map<String, String> p) {
    String resource = p.get("ResourceIdentifier");
    List<String> clusterIds = filter(p, "db-cluster-id");
    List<RdsCluster> clusters =
        rds.resources().allClusters(account).stream()
            .filter(c -> !c.pendingActions.isEmpty())
            .filter(c -> resource == null || resource.equals(c.arn))
            .filter(
                c -> clusterIds == null || clusterIds.contains(c.id) || clusterIds.contains(c.arn))
            .toList();
    return ok(
        "DescribePendingMaintenanceActions",
        w -> {
          w.start("PendingMaintenanceActions");
          clusters.forEach(c -> RdsXml.pendingActions(w, c.arn, c.pendingActions));
          w.end();
        });
  }

  private SandboxResponse describeParameterGroups(
      String account,
      String action,
      Map<String, String> p,
      Map<String, String> groups,
      String listName,
      String memberName,
      String nameElement,
      String arnElement,
      boolean clusterLevel) {
    String name = p.get(nameElement);
    if (name != null && !groups.containsKey(name)) {
      throw RdsErrors.parameterGroupNotFound(name).exception();
    }
    Map<String, String> selected = new TreeMap<>(groups);
    if (name != null) {
      selected.keySet().retainAll(List.of(name));
    }
    return ok(
        action,
        w -> {
          w.start(listName);
          selected.forEach(
              (group, family) ->
                  w.start(memberName)
                      .element(nameElement, group)
                      .element("DBParameterGroupFamily", family)
                      .element(
                          "Description",
                          group.startsWith("default.")
                              ? "Default "
                                  + (clusterLevel ? "cluster " : "")
                                  + "parameter group for "
                                  + family
                              : "sandbox parameter group " + group)
                      .element(
                          arnElement,
                          clusterLevel
                              ? RdsParameterGroups.clusterGroupArn(account, group)
                              : RdsParameterGroups.dbGroupArn(account, group))
                      .end());
          w.end();
        });
  }

  private SandboxResponse createSnapshot(String account, Map<String, String> p, Instant now) {
    RdsSnapshot s =
        rds.snapshotOps()
            .create(
                account,
                required(p, "DBClusterSnapshotIdentifier"),
                required(p, "DBClusterIdentifier"),
                tags(p));
    return ok("CreateDBClusterSnapshot", w -> RdsXml.snapshot(w, s, now));
  }

  private SandboxResponse copySnapshot(String account, Map<String, String> p, Instant now) {
    RdsSnapshot s =
        rds.snapshotOps()
            .copy(
                account,
                new RdsSnapshots.Copy(
                    required(p, "SourceDBClusterSnapshotIdentifier"),
                    required(p, "TargetDBClusterSnapshotIdentifier"),
                    p.get("KmsKeyId"),
                    bool(p, "CopyTags"),
                    tags(p)));
    return ok("CopyDBClusterSnapshot", w -> RdsXml.snapshot(w, s, now));
  }

  /**
   * By DBClusterSnapshotIdentifier (an own snapshot's id or ARN, or the ARN of one shared with the
   * caller), or the caller's snapshots filtered by DBClusterIdentifier and SnapshotType: none or
   * {@code manual} = own (plus shared ones with IncludeShared, public ones with IncludePublic),
   * {@code shared} = shared with the caller, {@code public}, {@code automated} = none (the sandbox
   * keeps no automated snapshots).
   */
  private SandboxResponse describeSnapshots(String account, Map<String, String> p, Instant now) {
    String id = p.get("DBClusterSnapshotIdentifier");
    String clusterId = p.get("DBClusterIdentifier");
    String type = p.get("SnapshotType");
    List<RdsSnapshot> snapshots;
    if (id != null) {
      snapshots = List.of(rds.snapshotOps().visibleOrFault(account, id));
    } else {
      snapshots = new ArrayList<>();
      if (type == null || "manual".equals(type)) {
        snapshots.addAll(rds.resources().allSnapshots(account));
        if (bool(p, "IncludeShared")) {
          snapshots.addAll(rds.snapshotOps().shared(account, false));
        }
        if (bool(p, "IncludePublic")) {
          snapshots.addAll(rds.snapshotOps().shared(account, true));
        }
      } else if ("shared".equals(type)) {
        snapshots.addAll(rds.snapshotOps().shared(account, false));
      } else if ("public".equals(type)) {
        snapshots.addAll(rds.snapshotOps().shared(account, true));
      } else if (!"automated".equals(type) && !"awsbackup".equals(type)) {
        throw RdsErrors.invalidParameterValue("Invalid SnapshotType: " + type).exception();
      }
      snapshots.removeIf(
          s ->
              clusterId != null
                  && !s.clusterId.equals(clusterId)
                  && !RdsResources.arn(s.account, "cluster", s.clusterId).equals(clusterId));
    }
    List<RdsSnapshot> found = snapshots.stream().distinct().toList();
    return ok(
        "DescribeDBClusterSnapshots",
        w -> {
          w.start("DBClusterSnapshots");
          found.forEach(s -> RdsXml.snapshot(w, s, now, account, s.status(now)));
          w.end();
        });
  }

  private SandboxResponse modifyCluster(String account, Map<String, String> p, Instant now) {
    if (p.containsKey("NewDBClusterIdentifier")) {
      throw RdsErrors.invalidParameterCombination(
              "The sandbox (a test double) does not rename clusters.")
          .exception();
    }
    RdsCluster c =
        rds.clusterOps()
            .modify(
                account,
                new RdsClusters.Modification(
                    required(p, "DBClusterIdentifier"),
                    p.get("EngineVersion"),
                    bool(p, "AllowMajorVersionUpgrade"),
                    bool(p, "ApplyImmediately"),
                    p.get("DBClusterParameterGroupName"),
                    p.get("DBInstanceParameterGroupName"),
                    p.containsKey("BacktrackWindow")
                        ? Long.parseLong(p.get("BacktrackWindow"))
                        : null,
                    p.get("MasterUserPassword")));
    return ok("ModifyDBCluster", w -> RdsXml.cluster(w, rds.resources(), c, now));
  }

  private SandboxResponse restore(String account, Map<String, String> p, Instant now) {
    RdsCluster c =
        rds.clusterOps()
            .restore(
                account,
                new RdsClusters.Restore(
                    required(p, "DBClusterIdentifier"),
                    required(p, "SnapshotIdentifier"),
                    required(p, "Engine"),
                    p.get("EngineVersion"),
                    p.get("DBClusterParameterGroupName"),
                    p.containsKey("Port") ? Integer.valueOf(p.get("Port")) : null,
                    p.containsKey("BacktrackWindow")
                        ? Long.valueOf(p.get("BacktrackWindow"))
                        : null,
                    p.get("KmsKeyId"),
                    tags(p)));
    return ok("RestoreDBClusterFromSnapshot", w -> RdsXml.cluster(w, rds.resources(), c, now));
  }

  private SandboxResponse createInstance(String account, Map<String, String> p, Instant now) {
    RdsInstance i =
        rds.instanceOps()
            .create(
                account,
                required(p, "DBInstanceIdentifier"),
                p.get("DBClusterIdentifier"),
                required(p, "DBInstanceClass"),
                required(p, "Engine"),
                p.get("DBParameterGroupName"),
                p.containsKey("PromotionTier") ? Integer.valueOf(p.get("PromotionTier")) : null,
                tags(p));
    return ok("CreateDBInstance", w -> RdsXml.instance(w, i, rds.resources().clusterOf(i), now));
  }

  /**
   * Window: StartTime/EndTime, else the last {@code Duration} minutes, else the last 60 minutes (as
   * AWS). Pages of MaxRecords (20–100, default 100) with an opaque Marker.
   */
  private SandboxResponse describeEvents(String account, Map<String, String> p, Instant now) {
    String sourceType = p.get("SourceType");
    String sourceId = p.get("SourceIdentifier");
    if (sourceId != null && sourceType == null) {
      throw RdsErrors.invalidParameterCombination(
              "SourceType must be provided with SourceIdentifier.")
          .exception();
    }
    Instant end = p.containsKey("EndTime") ? instant(p, "EndTime") : now;
    Instant start;
    if (p.containsKey("StartTime")) {
      start = instant(p, "StartTime");
    } else {
      int minutes =
          p.containsKey("Duration") ? integer(p, "Duration") : DEFAULT_EVENT_WINDOW_MINUTES;
      start = (p.containsKey("EndTime") ? end : now).minus(Duration.ofMinutes(minutes));
    }
    int max = p.containsKey("MaxRecords") ? integer(p, "MaxRecords") : 100;
    if (max < 20 || max > 100) {
      throw RdsErrors.invalidParameterValue("MaxRecords must be between 20 and 100: " + max)
          .exception();
    }
    int from = marker(p.get("Marker"));
    List<RdsEvent> all =
        rds.eventLog()
            .query(account, sourceType, sourceId, start, end, strings(p, "EventCategories"), now);
    List<RdsEvent> page = all.subList(Math.min(from, all.size()), Math.min(from + max, all.size()));
    String next = from + max < all.size() ? "sandbox-events-" + (from + max) : null;
    return ok(
        "DescribeEvents",
        w -> {
          w.start("Events");
          page.forEach(e -> RdsXml.event(w, e));
          w.end();
          w.element("Marker", next);
        });
  }

  @Override
  public SandboxResponse error(SandboxRequest req, RequestTarget target, ServiceError error) {
    String requestId = nextRequestId();
    return SandboxResponse.xml(error.status(), RdsXml.error(error, requestId))
        .header("Content-Type", "text/xml")
        .header("x-amzn-RequestId", requestId);
  }

  @Override
  public Optional<ServiceError> faultError(
      Faults.Kind kind, SandboxRequest req, RequestTarget target) {
    return switch (kind) {
      case THROTTLE -> Optional.of(RdsErrors.throttling());
      case ERROR_500 -> Optional.of(RdsErrors.internalFailure());
      case ERROR_503 -> Optional.of(RdsErrors.serviceUnavailable());
      case ACCESS_DENIED ->
          Optional.of(
              new ServiceError(
                  403,
                  "AccessDenied",
                  "User is not authorized to perform: rds:"
                      + target.operation()
                      + " (injected by the sandbox)"));
      case NOT_FOUND ->
          Optional.of(
              RdsErrors.clusterNotFound(params(req).getOrDefault("DBClusterIdentifier", "(none)")));
      case INVALID_PARAMETER ->
          Optional.of(
              RdsErrors.invalidParameterValue(
                  "Invalid parameter value for "
                      + target.operation()
                      + " (injected by the sandbox)"));
      case EXPEDITED_UNAVAILABLE, DROP_CONNECTION, LATENCY -> Optional.empty();
    };
  }

  private SandboxResponse ok(String action, Consumer<XmlWriter> result) {
    String requestId = nextRequestId();
    return SandboxResponse.xml(200, RdsXml.response(action, requestId, result))
        .header("Content-Type", "text/xml")
        .header("x-amzn-RequestId", requestId);
  }

  private String nextRequestId() {
    return String.format("SANDBOX-RDS-%09d", requestIds.incrementAndGet());
  }

  // ---------------------------------------------------------------- Query-protocol parameters

  private static Map<String, String> params(SandboxRequest req) {
    return QueryXml.params(req);
  }

  private static String required(Map<String, String> p, String name) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      throw RdsErrors.missingParameter(name).exception();
    }
    return v;
  }

  private static boolean bool(Map<String, String> p, String name) {
    return "true".equalsIgnoreCase(p.get(name));
  }

  private static int integer(Map<String, String> p, String name) {
    try {
      return Integer.parseInt(p.get(name));
    } catch (NumberFormatException e) {
      throw RdsErrors.invalidParameterValue("Invalid " + name + ": " + p.get(name)).exception();
    }
  }

  private static Instant instant(Map<String, String> p, String name) {
    try {
      return Instant.parse(p.get(name));
    } catch (DateTimeParseException e) {
      throw RdsErrors.invalidParameterValue("Invalid " + name + ": " + p.get(name)).exception();
    }
  }

  private static int marker(String marker) {
    if (marker == null) {
      return 0;
    }
    try {
      return Integer.parseInt(marker.substring(marker.lastIndexOf('-') + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw RdsErrors.invalidParameterValue("Invalid Marker: " + marker).exception();
    }
  }

  private static String first(Map<String, String> p, String... names) {
    for (String name : names) {
      if (p.containsKey(name)) {
        return p.get(name);
      }
    }
    return null;
  }

  /**
   * {@code Prefix.<member>.N} → values in N order (member name ignored: "member", "Tag", "Value",
   * …).
   */
  static List<String> strings(Map<String, String> p, String prefix) {
    TreeMap<Integer, String> byIndex = new TreeMap<>();
    p.forEach(
        (k, v) -> {
          if (k.startsWith(prefix + ".")) {
            String[] parts = k.substring(prefix.length() + 1).split("\\.");
            if (parts.length == 2 && parts[1].matches("\\d+")) {
              byIndex.put(Integer.parseInt(parts[1]), v);
            }
          }
        });
    return new ArrayList<>(byIndex.values());
  }

  /** {@code Prefix.<member>.N.Field…} → one map per N of {@code Field…} → value. */
  static List<Map<String, String>> structs(Map<String, String> p, String prefix) {
    TreeMap<Integer, Map<String, String>> byIndex = new TreeMap<>();
    p.forEach(
        (k, v) -> {
          if (k.startsWith(prefix + ".")) {
            String[] parts = k.substring(prefix.length() + 1).split("\\.", 3);
            if (parts.length == 3 && parts[1].matches("\\d+")) {
              byIndex
                  .computeIfAbsent(Integer.parseInt(parts[1]), n -> new LinkedHashMap<>())
                  .put(parts[2], v);
            }
          }
        });
    return new ArrayList<>(byIndex.values());
  }

  private static Map<String, String> tags(Map<String, String> p) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (Map<String, String> tag : structs(p, "Tags")) {
      if (tag.get("Key") != null) {
        tags.put(tag.get("Key"), tag.getOrDefault("Value", ""));
      }
    }
    return tags;
  }

  /** Values of the filter named {@code name}, or null when the request has no such filter. */
  private static List<String> filter(Map<String, String> p, String name) {
    for (Map<String, String> f : structs(p, "Filters")) {
      if (name.equals(f.get("Name"))) {
        return strings(f, "Values");
      }
    }
    return null;
  }
}
