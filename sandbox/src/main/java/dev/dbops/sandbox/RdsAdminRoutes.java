package dev.dbops.sandbox;

import dev.dbops.sandbox.mysql.LocalMariaDb;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * {@code /_sandbox/rds/…} of the admin API: seed clusters, bind them to a sandbox-started MariaDB,
 * script upgrade failures and stalls, add parameter groups and pending maintenance, read events.
 * Answers JSON-ready values; {@link AdminHandler} writes them. Documented in sandbox/README.md.
 */
final class RdsAdminRoutes {

  private final RdsSandbox rds;

  RdsAdminRoutes(RdsSandbox rds) {
    this.rds = rds;
  }

  /**
   * @param rest the path after {@code /_sandbox/rds}
   * @throws NoSuchElementException for an unknown resource or method (404)
   */
  Object route(String method, String rest, Map<String, String> p) {
    if (rest.equals("/clusters")) {
      return switch (method) {
        case "GET" -> rds.clusters().stream().map(RdsAdminRoutes::json).toList();
        case "POST" -> json(rds.createCluster(seed(p)));
        default -> throw unknown(method, rest);
      };
    }
    if (rest.equals("/instances")) {
      return switch (method) {
        case "GET" -> rds.instances().stream().map(RdsAdminRoutes::json).toList();
        case "POST" -> json(rds.createInstance(instanceSeed(p)));
        default -> throw unknown(method, rest);
      };
    }
    if (rest.startsWith("/instances/")) {
      String[] parts = rest.substring("/instances/".length()).split("/", 2);
      String id = parts[0];
      String action = parts.length > 1 ? parts[1] : "";
      switch (method + " " + action) {
        case "GET " -> {
          return json(rds.instance(account(p), id));
        }
        case "POST mariadb" -> {
          LocalMariaDb db =
              rds.startInstanceMariaDb(
                  account(p),
                  id,
                  p.containsKey("binlogRetentionHours")
                      ? Integer.valueOf(p.get("binlogRetentionHours"))
                      : null);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("instance", id);
          m.put("host", db.host());
          m.put("port", db.port());
          m.put("user", db.rootUser());
          m.put("password", db.rootPassword());
          m.put("jdbcUrl", db.jdbcUrl(""));
          m.put("reportedVersion", db.reportedVersion());
          m.put("testDouble", true);
          return m;
        }
        default -> throw unknown(method, rest);
      }
    }
    if (rest.equals("/parameter-groups") && "POST".equals(method)) {
      String name = required(p, "name");
      String family = required(p, "family");
      if ("instance".equals(p.getOrDefault("kind", "cluster"))) {
        rds.createDbParameterGroup(name, family);
      } else {
        rds.createClusterParameterGroup(name, family);
      }
      return Map.of("name", name, "family", family, "kind", p.getOrDefault("kind", "cluster"));
    }
    if (rest.equals("/events") && "GET".equals(method)) {
      return rds.events().stream()
          .map(
              e -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("date", e.date().toString());
                m.put("sourceIdentifier", e.sourceIdentifier());
                m.put("sourceType", e.sourceType());
                m.put("message", e.message());
                m.put("categories", e.categories());
                return m;
              })
          .toList();
    }
    if (rest.startsWith("/clusters/")) {
      String[] parts = rest.substring("/clusters/".length()).split("/", 2);
      return cluster(method, parts[0], parts.length > 1 ? parts[1] : "", p);
    }
    if (rest.startsWith("/snapshots/") && "GET".equals(method)) {
      String id = rest.substring("/snapshots/".length());
      RdsSandbox.SnapshotView s =
          rds.snapshot(account(p), id)
              .orElseThrow(
                  () ->
                      new NoSuchElementException(
                          "no snapshot " + id + " in account " + account(p)));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("account", s.account());
      m.put("id", s.id());
      m.put("arn", s.arn());
      m.put("status", s.status());
      m.put("clusterId", s.clusterId());
      m.put("kmsKeyId", s.kmsKeyId());
      m.put("sharedWith", s.sharedWith());
      m.put("sourceSnapshotArn", s.sourceSnapshotArn());
      m.put("dataSchemas", s.dataSchemas());
      return m;
    }
    throw unknown(method, rest);
  }

  private Object cluster(String method, String id, String action, Map<String, String> p) {
    switch (method + " " + action) {
      case "GET " -> {
        return json(rds.cluster(account(p), id));
      }
      case "POST fail-next-upgrade" -> rds.failNextUpgrade(id, required(p, "reason"));
      case "POST stall-upgrade" -> rds.stallUpgrade(id, Duration.parse(required(p, "duration")));
      case "POST delay-replication" ->
          rds.delayReplication(
              account(p), id, Duration.ofSeconds(Long.parseLong(required(p, "seconds"))));
      case "POST pending-maintenance" ->
          rds.addPendingMaintenance(id, required(p, "action"), p.getOrDefault("description", ""));
      case "POST mariadb" -> {
        LocalMariaDb db = rds.startLocalMariaDb(account(p), id);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", id);
        m.put("host", db.host());
        m.put("port", db.port());
        m.put("user", db.rootUser());
        m.put("password", db.rootPassword());
        m.put("jdbcUrl", db.jdbcUrl(""));
        m.put("reportedVersion", db.reportedVersion());
        m.put("testDouble", true);
        return m;
      }
      default -> throw unknown(method, "/clusters/" + id + "/" + action);
    }
    return json(rds.cluster(id));
  }

  private static String account(Map<String, String> p) {
    return p.getOrDefault("account", SandboxAccounts.DEFAULT_ACCOUNT);
  }

  /** {@code id} (required), {@code engineVersion}, {@code backupRetentionDays}, {@code tags}. */
  private static InstanceSeed instanceSeed(Map<String, String> p) {
    InstanceSeed seed = InstanceSeed.mysql57(required(p, "id"));
    seed =
        new InstanceSeed(
            account(p),
            seed.id(),
            p.getOrDefault("engineVersion", seed.engineVersion()),
            p.getOrDefault("instanceClass", seed.instanceClass()),
            p.containsKey("backupRetentionDays")
                ? Integer.parseInt(p.get("backupRetentionDays"))
                : seed.backupRetentionDays(),
            p.get("parameterGroup"),
            tags(p),
            seed.masterUsername(),
            seed.masterPassword());
    return seed;
  }

  private static Map<String, String> tags(Map<String, String> p) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String tag : SandboxRequest.csv(p.get("tags"))) {
      int eq = tag.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("tags=key=value,key2=value2 expected, got " + tag);
      }
      tags.put(tag.substring(0, eq), tag.substring(eq + 1));
    }
    return tags;
  }

  static Map<String, Object> json(RdsSandbox.InstanceView i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("account", i.account());
    m.put("id", i.id());
    m.put("arn", i.arn());
    m.put("status", i.status());
    m.put("engine", i.engine());
    m.put("engineVersion", i.engineVersion());
    m.put("endpoint", i.endpoint());
    m.put("port", i.port());
    m.put("boundTo", i.boundTo());
    m.put("backupRetentionDays", i.backupRetentionDays());
    m.put("replicaClusters", i.replicaClusters());
    m.put("tags", i.tags());
    return m;
  }

  private static ClusterSeed seed(Map<String, String> p) {
    ClusterSeed seed = ClusterSeed.aurora56(required(p, "id")).inAccount(account(p));
    if (p.containsKey("engineVersion")) {
      seed = seed.withEngine(p.getOrDefault("engine", "aurora"), p.get("engineVersion"));
    }
    if (p.containsKey("clusterParameterGroup") || p.containsKey("instanceParameterGroup")) {
      seed =
          seed.withParameterGroups(p.get("clusterParameterGroup"), p.get("instanceParameterGroup"));
    }
    if (p.containsKey("instances")) {
      seed = seed.withInstances(SandboxRequest.csv(p.get("instances")).toArray(String[]::new));
    }
    if (p.containsKey("instanceClass")) {
      seed = seed.withInstanceClass(p.get("instanceClass"));
    }
    for (String tag : SandboxRequest.csv(p.get("tags"))) {
      int eq = tag.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("tags=key=value,key2=value2 expected, got " + tag);
      }
      seed = seed.withTag(tag.substring(0, eq), tag.substring(eq + 1));
    }
    if (p.containsKey("backtrackWindow")) {
      seed = seed.withBacktrackWindow(Long.parseLong(p.get("backtrackWindow")));
    }
    if (p.containsKey("storageEncrypted")) {
      seed = seed.withStorageEncrypted(Boolean.parseBoolean(p.get("storageEncrypted")));
    }
    if (p.containsKey("kmsKeyId")) {
      seed = seed.withKmsKey(p.get("kmsKeyId"));
    }
    return seed;
  }

  static Map<String, Object> json(RdsSandbox.ClusterView c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id());
    m.put("status", c.status());
    m.put("engine", c.engine());
    m.put("engineVersion", c.engineVersion());
    m.put("endpoint", c.endpoint());
    m.put("port", c.port());
    m.put("clusterParameterGroup", c.clusterParameterGroup());
    m.put("instances", List.copyOf(c.instances()));
    m.put("tags", new LinkedHashMap<>(c.tags()));
    m.put("boundTo", c.boundTo());
    m.put("account", c.account());
    m.put("arn", c.arn());
    m.put("storageEncrypted", c.storageEncrypted());
    m.put("kmsKeyId", c.kmsKeyId());
    m.put("masterUsername", c.masterUsername());
    m.put("masterPasswordChanges", c.masterPasswordChanges());
    m.put("replicationSource", c.replicationSource());
    return m;
  }

  private static String required(Map<String, String> p, String name) {
    String v = p.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("missing parameter " + name);
    }
    return v;
  }

  private static NoSuchElementException unknown(String method, String rest) {
    return new NoSuchElementException("no admin resource " + method + " /_sandbox/rds" + rest);
  }
}
