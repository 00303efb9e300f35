package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml, the Dockerfile and deploy/ (Prometheus, Grafana) checked without a Docker
 * engine: they parse, images are pinned, and every name, port and path one file expects of
 * another matches. {@link DashboardMetricsTest} checks the dashboard's queries against a real
 * worker's /metrics.
 */
@Tag("process")
class DeploymentFilesTest {
  static final Path ROOT = repositoryRoot();
  static final String WORKER_SERVICE = "dbops-worker";
  static final String PROMETHEUS_SERVICE = "prometheus";
  static final String GRAFANA_SERVICE = "grafana";
  static final Path DASHBOARDS = ROOT.resolve("deploy/grafana/dashboards");

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) dir = dir.getParent();
    assertNotNull(dir, "no docker-compose.yml above " + Path.of("").toAbsolutePath());
    return dir;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(Path file) {
    try {
      Object doc = new Yaml().load(Files.readString(file, StandardCharsets.UTF_8));
      return assertInstanceOf(Map.class, doc, file + " is not a YAML mapping");
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String what) {
    return assertInstanceOf(Map.class, o, what + " should be a mapping");
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o, String what) {
    return assertInstanceOf(List.class, o, what + " should be a list");
  }

  static Map<String, Object> services() {
    return map(yaml(ROOT.resolve("docker-compose.yml")).get("services"), "services");
  }

  static Map<String, Object> service(String name) {
    return map(services().get(name), "service " + name);
  }

  static Map<String, String> environment(String service) {
    Map<String, String> env = new HashMap<>();
    map(service(service).get("environment"), service + ".environment")
        .forEach((k, v) -> env.put(k, v == null ? null : v.toString()));
    return env;
  }

  /** "./deploy/x:/etc/y:ro" → host path and container path, for bind mounts only. */
  static List<String[]> bindMounts(String service) {
    List<String[]> mounts = new ArrayList<>();
    Object volumes = service(service).get("volumes");
    if (volumes == null) return mounts;
    for (Object v : list(volumes, service + ".volumes")) {
      String[] parts = v.toString().split(":");
      if (parts[0].startsWith(".") || parts[0].startsWith("/")) mounts.add(new String[] {parts[0], parts[1]});
    }
    return mounts;
  }

  static String containerPathOf(String service, String hostPath) {
    return bindMounts(service).stream().filter(m -> Path.of(m[0]).normalize().equals(Path.of(hostPath).normalize()))
        .map(m -> m[1]).findFirst()
        .orElseThrow(() -> new AssertionError(service + " does not mount " + hostPath));
  }

  static final Pattern PINNED = Pattern.compile("[a-z0-9./_-]+:(?!latest$)[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*");

  @Test
  void givenTheComposeFile_whenParsed_thenItHasTheWholeStackAndEveryImageIsPinned() {
    Map<String, Object> services = services();
    assertTrue(services.keySet().containsAll(Set.of("postgresql", "temporal", "temporal-admin-tools",
        "temporal-ui", WORKER_SERVICE, PROMETHEUS_SERVICE, GRAFANA_SERVICE)), services.keySet().toString());
    assertFalse(yaml(ROOT.resolve("docker-compose.yml")).containsKey("name"),
        "top-level name: is refused by docker-compose 1.29");
    services.forEach((name, s) -> {
      Map<String, Object> svc = map(s, name);
      if (svc.containsKey("build")) return;
      String image = String.valueOf(svc.get("image"));
      assertTrue(PINNED.matcher(image).matches(), name + ": image '" + image
          + "' needs a pinned version tag (not latest, not untagged)");
    });
    assertTrue(String.valueOf(service("temporal").get("image")).startsWith("temporalio/"));
    assertEquals("postgres12", environment("temporal").get("DB"), "Temporal persists to PostgreSQL");
  }

  @Test
  void givenTheWorkerService_whenRead_thenItIsBuiltFromTheDockerfileAndServesMetricsOnItsPort() {
    Map<String, Object> worker = service(WORKER_SERVICE);
    assertFalse(worker.containsKey("image"), "the worker image is built, not pulled");
    Map<String, Object> build = map(worker.get("build"), WORKER_SERVICE + ".build");
    assertEquals(".", build.get("context"));
    assertEquals("Dockerfile", build.get("dockerfile"));
    assertTrue(Files.isRegularFile(ROOT.resolve("Dockerfile")));

    Map<String, String> env = environment(WORKER_SERVICE);
    assertEquals("temporal:7233", env.get(WorkerConfig.TEMPORAL_ADDRESS));
    assertEquals("0.0.0.0", env.get(WorkerConfig.DBOPS_METRICS_HOST),
        "loopback would hide /metrics from the Prometheus container");
    assertEquals(WorkerConfig.DEFAULTS.get(WorkerConfig.DBOPS_METRICS_PORT), env.get(WorkerConfig.DBOPS_METRICS_PORT));
    // Every variable the worker is given is one it reads (or an AWS SDK / webhook secret one).
    Set<String> secrets = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "DBOPS_SLACK_WEBHOOK_URL");
    for (String name : env.keySet()) {
      assertTrue(WorkerConfig.DEFAULTS.containsKey(name) || secrets.contains(name),
          WORKER_SERVICE + " sets " + name + ", which the worker does not read");
    }
    // Nothing secret is written in the file: secrets come from the shell running compose.
    secrets.forEach(s -> assertEquals(null, env.get(s), s + " must be passed through, not set"));
    assertEquals(null, env.get(WorkerConfig.DBOPS_NOTIFY_WEBHOOK_URL_REF));
    // A webhook reference the operator sets must be one the worker accepts.
    WorkerConfig.from(Map.of(WorkerConfig.DBOPS_NOTIFY_WEBHOOK_URL_REF, "env:DBOPS_SLACK_WEBHOOK_URL",
        WorkerConfig.DBOPS_TEMPORAL_UI_URL, env.get(WorkerConfig.DBOPS_TEMPORAL_UI_URL)));
    assertEquals(URI.create("http://localhost:8080"), URI.create(env.get(WorkerConfig.DBOPS_TEMPORAL_UI_URL)));
  }

  @Test
  void givenTheDockerfile_whenRead_thenPinnedStagesBuildTheCliJarAndRunTheWorker() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"));
    List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertEquals(2, froms.size(), "a build stage and a runtime stage: " + froms);
    for (String from : froms) {
      String image = from.split("\\s+")[1];
      assertTrue(image.startsWith("eclipse-temurin:17") && !image.endsWith(":latest"), from);
    }
    assertTrue(froms.get(1).contains("-jre"), "the runtime stage needs only a JRE: " + froms.get(1));
    String text = String.join("\n", lines);
    assertTrue(text.contains("./mvnw "), "built with the Maven wrapper");
    assertTrue(text.contains("COPY --from=build /src/starter/target/dbops.jar"), "the shaded CLI jar");
    assertTrue(Files.readString(ROOT.resolve("starter/pom.xml")).contains("<finalName>dbops</finalName>"),
        "starter's shaded jar is named dbops.jar");
    assertTrue(text.contains("CMD [\"worker\"]"), "runs `dbops worker`");
    assertTrue(text.contains("EXPOSE " + WorkerConfig.DEFAULTS.get(WorkerConfig.DBOPS_METRICS_PORT)));
    assertTrue(text.contains("USER dbops"), "not root");
    List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore"));
    assertTrue(ignored.contains("**/target") && ignored.contains(".git"), ignored.toString());
  }

  @Test
  void givenEveryBindMount_whenResolved_thenTheHostFileOrFolderIsInTheRepository() {
    for (String name : services().keySet()) {
      for (String[] mount : bindMounts(name)) {
        assertTrue(mount[0].startsWith("./"), name + ": mount " + mount[0] + " must be relative to the repository");
        assertTrue(Files.exists(ROOT.resolve(mount[0])), name + ": " + mount[0] + " does not exist");
      }
    }
    for (String script : List.of("setup-postgres.sh", "create-namespace.sh")) {
      Path p = ROOT.resolve("deploy/temporal/scripts").resolve(script);
      assertTrue(Files.isRegularFile(p), p.toString());
    }
    String dynamic = environment("temporal").get("DYNAMIC_CONFIG_FILE_PATH");
    assertTrue(Files.isRegularFile(ROOT.resolve("deploy/temporal/dynamicconfig").resolve(Path.of(dynamic).getFileName())),
        dynamic);
    yaml(ROOT.resolve("deploy/temporal/dynamicconfig").resolve(Path.of(dynamic).getFileName()));
  }

  @Test
  void givenPublishedPorts_whenRead_thenBoundToLoopbackWithTheDocumentedHostPorts() {
    Map<String, String> expected = Map.of("temporal", "127.0.0.1:7233:7233",
        "temporal-ui", "127.0.0.1:8080:8080", GRAFANA_SERVICE, "127.0.0.1:3000:3000",
        PROMETHEUS_SERVICE, "127.0.0.1:9090:9090", WORKER_SERVICE, "127.0.0.1:9464:9464");
    expected.forEach((svc, port) ->
        assertEquals(List.of(port), list(service(svc).get("ports"), svc + ".ports")));
    services().forEach((name, s) -> {
      Object ports = map(s, name).get("ports");
      if (ports != null) {
        list(ports, name).forEach(p -> assertTrue(p.toString().startsWith("127.0.0.1:"), name + ": " + p));
      }
    });
  }

  @Test
  void givenThePrometheusConfig_whenParsed_thenItScrapesTheWorkerServiceOnItsMetricsPort() {
    Path config = ROOT.resolve("deploy/prometheus/prometheus.yml");
    assertEquals("/etc/prometheus/prometheus.yml",
        containerPathOf(PROMETHEUS_SERVICE, "./deploy/prometheus/prometheus.yml"));
    Map<String, Object> job = workerJob(config);
    assertEquals("/metrics", job.getOrDefault("metrics_path", "/metrics"));
    String port = environment(WORKER_SERVICE).get(WorkerConfig.DBOPS_METRICS_PORT);
    List<String> targets = new ArrayList<>();
    for (Object sd : list(job.getOrDefault("dns_sd_configs", List.of()), "dns_sd_configs")) {
      Map<String, Object> dns = map(sd, "dns_sd_config");
      for (Object n : list(dns.get("names"), "names")) targets.add(n + ":" + dns.get("port"));
    }
    for (Object sc : list(job.getOrDefault("static_configs", List.of()), "static_configs")) {
      for (Object t : list(map(sc, "static_config").get("targets"), "targets")) targets.add(t.toString());
    }
    assertEquals(List.of(WORKER_SERVICE + ":" + port), targets);
  }

  static Map<String, Object> workerJob(Path config) {
    for (Object j : list(yaml(config).get("scrape_configs"), "scrape_configs")) {
      Map<String, Object> job = map(j, "scrape_config");
      if (WORKER_SERVICE.equals(job.get("job_name"))) return job;
    }
    throw new AssertionError("no scrape job " + WORKER_SERVICE + " in " + config);
  }

  @Test
  void givenGrafanaProvisioning_whenParsed_thenThePrometheusSourceAndTheDashboardFolderMatchCompose()
      throws IOException {
    String provisioning = containerPathOf(GRAFANA_SERVICE, "./deploy/grafana/provisioning");
    assertEquals("/etc/grafana/provisioning", provisioning);
    Map<String, Object> datasource = map(list(yaml(ROOT.resolve(
        "deploy/grafana/provisioning/datasources/prometheus.yml")).get("datasources"), "datasources").get(0), "datasource");
    assertEquals("prometheus", datasource.get("type"));
    assertEquals(URI.create("http://" + PROMETHEUS_SERVICE + ":9090"), URI.create(datasource.get("url").toString()));

    Map<String, Object> provider = map(list(yaml(ROOT.resolve(
        "deploy/grafana/provisioning/dashboards/dbops.yml")).get("providers"), "providers").get(0), "provider");
    assertEquals("file", provider.get("type"));
    String path = map(provider.get("options"), "options").get("path").toString();
    assertEquals(containerPathOf(GRAFANA_SERVICE, "./deploy/grafana/dashboards"), path);
    String home = environment(GRAFANA_SERVICE).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
    assertTrue(home.startsWith(path + "/") && Files.isRegularFile(DASHBOARDS.resolve(home.substring(path.length() + 1))), home);

    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      List<Path> dashboards = files.filter(f -> f.toString().endsWith(".json")).toList();
      assertFalse(dashboards.isEmpty());
      for (Path d : dashboards) {
        JsonNode dashboard = new ObjectMapper().readTree(d.toFile());
        assertTrue(dashboard.path("uid").isTextual() && dashboard.path("title").isTextual(), d.toString());
        for (JsonNode panel : panels(dashboard)) {
          if (panel.has("datasource")) {
            assertEquals(datasource.get("uid"), panel.path("datasource").path("uid").asText(),
                d.getFileName() + " panel '" + panel.path("title").asText() + "' uses another data source");
          }
        }
      }
    }
  }

  /** Every panel of a dashboard, rows' nested panels included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      all.add(p);
      p.path("panels").forEach(all::add);
    }
    return all;
  }

  /** Every PromQL expression of every dashboard, as "file / panel: expr". */
  static Map<String, String> expressions() throws IOException {
    Map<String, String> exprs = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      for (Path d : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        for (JsonNode panel : panels(new ObjectMapper().readTree(d.toFile()))) {
          for (JsonNode target : panel.path("targets")) {
            exprs.put(d.getFileName() + " / " + panel.path("title").asText() + " / "
                + target.path("refId").asText(), target.path("expr").asText());
          }
        }
      }
    }
    return exprs;
  }

  @Test
  void givenTheDashboard_whenItsQueriesNameAJob_thenPrometheusHasThatJob() throws IOException {
    Pattern job = Pattern.compile("job\\s*=\\s*\"([^\"]+)\"");
    for (var e : expressions().entrySet()) {
      Matcher m = job.matcher(e.getValue());
      while (m.find()) assertEquals(WORKER_SERVICE, m.group(1), e.getKey());
    }
    workerJob(ROOT.resolve("deploy/prometheus/prometheus.yml"));
  }

  @Test
  void givenPromQl_whenMetricNamesAreRead_thenFunctionsLabelsAndRangesAreNotNames() {
    assertEquals(Set.of("a_total"), PromQl.metricNames(
        "sum by (service, outcome) (rate(a_total{outcome!=\"ok\", x=~\"by(y)\"}[$__rate_interval]))"));
    assertEquals(Set.of("b_bucket", "c"), PromQl.metricNames(
        "histogram_quantile(0.95, sum(rate(b_bucket[5m])) by (le)) / on (x) group_left c offset 1h"));
    assertEquals(Set.of("up"), PromQl.metricNames("sum(up{job=\"dbops-worker\"}) or vector(0)"));
    assertThrows(IllegalArgumentException.class, () -> PromQl.metricNames("rat(x_total[5m])"));
  }

  /**
   * Debian's docker-compose 1.29 validates the file without a Docker engine; it refuses a few
   * newer keys. Runs only where the binary is installed (README: optional for CI).
   */
  @Test
  void givenDockerCompose129IsInstalled_whenItValidatesTheFile_thenItAccepts() throws Exception {
    Path binary = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(d -> Path.of(d, "docker-compose")).filter(Files::isExecutable).findFirst().orElse(null);
    Assumptions.assumeTrue(binary != null, "docker-compose is not installed");
    Process p = new ProcessBuilder(binary.toString(), "-f", "docker-compose.yml", "config", "-q")
        .directory(ROOT.toFile()).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("docker-compose config did not finish in 60 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "docker-compose config -q:\n" + out);
  }
}
