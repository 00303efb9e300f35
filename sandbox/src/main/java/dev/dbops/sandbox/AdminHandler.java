package dev.dbops.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The sandbox's own HTTP API under {@code /_sandbox/} (bucket names cannot start with "_"), so a
 * test in another process can inspect calls, inject faults, seed S3 and RDS, and move the clock.
 * Documented in sandbox/README.md.
 */
final class AdminHandler {

  static final String PREFIX = "/_sandbox";

  private final AwsSandbox sandbox;
  private final byte[] token;
  private final RdsAdminRoutes rds;
  private final Route53AdminRoutes route53;

  /** {@code token}: what every request must send in {@link AwsSandbox#ADMIN_TOKEN_HEADER}. */
  AdminHandler(AwsSandbox sandbox, String token) {
    this.sandbox = sandbox;
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.rds = new RdsAdminRoutes(sandbox.rds());
    this.route53 = new Route53AdminRoutes(sandbox.route53());
  }

  static boolean matches(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  /** Refuses (403, nothing done) a request without this start's token; otherwise routes it. */
  SandboxResponse handle(SandboxRequest req) {
    if (!authorized(req.header(AwsSandbox.ADMIN_TOKEN_HEADER))) {
      return error(
          403,
          "the sandbox admin API needs this start's token in the "
              + AwsSandbox.ADMIN_TOKEN_HEADER
              + " header (printed in the dev banner)");
    }
    try {
      return route(req);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return error(400, e.getMessage());
    } catch (IllegalStateException e) {
      return error(409, e.getMessage());
    } catch (java.util.NoSuchElementException e) {
      return error(404, e.getMessage());
    } catch (ServiceException e) {
      return error(e.error().status(), e.error().code() + ": " + e.error().message());
    }
  }

  /** Compared in constant time, so the answer's timing says nothing about the token. */
  private boolean authorized(String presented) {
    return presented != null
        && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }

  private SandboxResponse route(SandboxRequest req) {
    String path = req.path().substring(PREFIX.length());
    String method = req.method();
    if (path.isEmpty() || path.equals("/")) {
      return ok(info());
    }
    if (path.equals("/calls")) {
      return switch (method) {
        case "GET" -> ok(calls(req.query().get("operation")));
        case "DELETE" -> {
          sandbox.calls().clear();
          yield ok(Map.of("cleared", true));
        }
        default -> notAllowed(req);
      };
    }
    if (path.equals("/faults")) {
      return switch (method) {
        case "GET" -> ok(Map.of("pendingScripts", sandbox.faults().pendingScripts()));
        case "POST" -> ok(configureFaults(params(req)));
        case "DELETE" -> {
          sandbox.faults().clear();
          yield ok(Map.of("cleared", true));
        }
        default -> notAllowed(req);
      };
    }
    if (path.equals("/clock")) {
      return "GET".equals(method) ? ok(clock()) : notAllowed(req);
    }
    if (path.equals("/clock/advance") && "POST".equals(method)) {
      String by = params(req).get("by");
      if (by == null) {
        throw new IllegalArgumentException(
            "POST /_sandbox/clock/advance needs by=<ISO-8601 duration>");
      }
      sandbox.clock().advance(Duration.parse(by));
      return ok(clock());
    }
    if (path.startsWith("/rds/")) {
      return ok(rds.route(method, path.substring("/rds".length()), params(req)));
    }
    if (path.startsWith("/route53/")) {
      return ok(route53.route(method, path.substring("/route53".length()), params(req)));
    }
    if (path.equals("/accounts") || path.startsWith("/accounts/")) {
      return ok(accounts(method, path.substring("/accounts".length()), params(req)));
    }
    if (path.equals("/staging-demo") && "POST".equals(method)) {
      return ok(stagingDemo());
    }
    if (path.startsWith("/s3/buckets/")) {
      return bucket(req, path.substring("/s3/buckets/".length()));
    }
    if (path.startsWith("/s3/objects/")) {
      return object(req, path.substring("/s3/objects/".length()));
    }
    return error(404, "no admin resource " + req.method() + " " + req.path());
  }

  private SandboxResponse bucket(SandboxRequest req, String rest) {
    S3Sandbox s3 = sandbox.s3();
    boolean deny = rest.endsWith("/deny");
    String bucket = deny ? rest.substring(0, rest.length() - "/deny".length()) : rest;
    if (deny) {
      switch (req.method()) {
        case "POST" -> s3.denyAccess(bucket);
        case "DELETE" -> s3.allowAccess(bucket);
        default -> {
          return notAllowed(req);
        }
      }
      return ok(Map.of("bucket", bucket, "denied", "POST".equals(req.method())));
    }
    return switch (req.method()) {
      case "POST", "PUT" -> {
        s3.createBucket(bucket);
        yield ok(Map.of("bucket", bucket, "created", true));
      }
      case "GET" -> ok(Map.of("bucket", bucket, "keys", s3.keys(bucket)));
      default -> notAllowed(req);
    };
  }

  private SandboxResponse object(SandboxRequest req, String rest) {
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new IllegalArgumentException("expected /_sandbox/s3/objects/{bucket}/{key}");
    }
    String bucket = rest.substring(0, slash);
    String key = rest.substring(slash + 1);
    S3Sandbox s3 = sandbox.s3();
    return switch (req.method()) {
      case "PUT" -> {
        String storageClass = req.query().getOrDefault("storageClass", "STANDARD");
        s3.putObject(bucket, key, req.body(), storageClass);
        yield ok(describe(bucket, key));
      }
      case "GET" ->
          s3.exists(bucket, key)
              ? ok(describe(bucket, key))
              : error(404, "no object s3://" + bucket + "/" + key);
      default -> notAllowed(req);
    };
  }

  private Map<String, Object> describe(String bucket, String key) {
    S3Sandbox s3 = sandbox.s3();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("bucket", bucket);
    o.put("key", key);
    o.put("size", s3.data(bucket, key).length);
    o.put("storageClass", s3.storageClass(bucket, key));
    o.put("restoreState", s3.restoreState(bucket, key));
    o.put("restoreExpiry", s3.restoreExpiry(bucket, key));
    return o;
  }

  /**
   * GET /accounts; POST /accounts/{id}; POST /accounts/{id}/roles/{name}; POST
   * /accounts/{id}/kms-keys alias=.
   */
  private Object accounts(String method, String rest, Map<String, String> p) {
    SandboxAccounts accounts = sandbox.accounts();
    if (rest.isEmpty() && "GET".equals(method)) {
      return Map.of("accounts", accounts.ids(), "sessions", accounts.sessions().size());
    }
    String[] parts = rest.substring(1).split("/", 3);
    if ("POST".equals(method) && parts.length == 1) {
      accounts.add(parts[0]);
      return Map.of("account", parts[0]);
    }
    if ("POST".equals(method) && parts.length == 3 && parts[1].equals("roles")) {
      return Map.of("account", parts[0], "roleArn", accounts.allowRole(parts[0], parts[2]));
    }
    if ("POST".equals(method) && parts.length == 2 && parts[1].equals("kms-keys")) {
      String alias = p.get("alias");
      if (alias == null) {
        throw new IllegalArgumentException("POST /_sandbox/accounts/{id}/kms-keys needs alias=");
      }
      return Map.of(
          "account", parts[0], "keyArn", accounts.kms().createCustomerKey(parts[0], alias));
    }
    throw new java.util.NoSuchElementException(
        "no admin resource " + method + " /_sandbox/accounts" + rest);
  }

  private Map<String, Object> stagingDemo() {
    StagingDemo.Seeded s = StagingDemo.seed(sandbox);
    Map<String, Object> m = new LinkedHashMap<>();
    for (java.lang.reflect.RecordComponent c : StagingDemo.Seeded.class.getRecordComponents()) {
      try {
        m.put(c.getName(), c.getAccessor().invoke(s));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return m;
  }

  /**
   * rate=&kinds=&operations=, operation=&script=, latency= — any combination, form body or query.
   */
  private Map<String, Object> configureFaults(Map<String, String> p) {
    Faults faults = sandbox.faults();
    Map<String, Object> applied = new LinkedHashMap<>();
    if (p.containsKey("rate")) {
      double rate = Double.parseDouble(p.get("rate"));
      Set<Faults.Kind> kinds = kinds(p.get("kinds"));
      Set<String> operations = Set.copyOf(SandboxRequest.csv(p.get("operations")));
      faults.rate(rate, kinds.isEmpty() ? EnumSet.of(Faults.Kind.THROTTLE) : kinds, operations);
      applied.put("rate", rate);
    }
    if (p.containsKey("script")) {
      String operation = p.get("operation");
      if (operation == null) {
        throw new IllegalArgumentException("script=… needs operation=<Operation>");
      }
      List<Faults.Kind> script = new ArrayList<>();
      SandboxRequest.csv(p.get("script")).forEach(k -> script.add(kind(k)));
      faults.script(operation, script);
      applied.put("script", Map.of(operation, script));
    }
    if (p.containsKey("latency")) {
      faults.latency(Duration.parse(p.get("latency")));
      applied.put("latency", p.get("latency"));
    }
    if (applied.isEmpty()) {
      throw new IllegalArgumentException(
          "POST /_sandbox/faults needs rate=, script= (with operation=) or latency=");
    }
    return applied;
  }

  private static Set<Faults.Kind> kinds(String csv) {
    Set<Faults.Kind> kinds = EnumSet.noneOf(Faults.Kind.class);
    SandboxRequest.csv(csv).forEach(k -> kinds.add(kind(k)));
    return kinds;
  }

  private static Faults.Kind kind(String name) {
    try {
      return Faults.Kind.valueOf(name.trim().toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown fault kind '" + name + "'; known: " + EnumSet.allOf(Faults.Kind.class));
    }
  }

  private List<Map<String, Object>> calls(String operation) {
    List<CallLog.Call> calls =
        operation == null ? sandbox.calls().all() : sandbox.calls().of(operation);
    return calls.stream()
        .map(
            c -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("seq", c.seq());
              m.put("service", c.service());
              m.put("operation", c.operation());
              m.put("bucket", c.bucket());
              m.put("key", c.key());
              m.put("status", c.status());
              m.put("fault", c.fault());
              return m;
            })
        .collect(Collectors.toList());
  }

  private Map<String, Object> info() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", AwsSandbox.SERVER_NAME);
    m.put("testDouble", true);
    m.put("endpoint", sandbox.endpoint().toString());
    m.put("services", List.of("s3", "rds", "route53", "sts"));
    return m;
  }

  private Map<String, Object> clock() {
    return Map.of(
        "now", sandbox.clock().instant().toString(), "offset", sandbox.clock().offset().toString());
  }

  /** Form body parameters, overridden by query parameters. */
  private static Map<String, String> params(SandboxRequest req) {
    Map<String, String> p =
        SandboxRequest.parseForm(new String(req.body(), java.nio.charset.StandardCharsets.UTF_8));
    p.putAll(req.query());
    return p;
  }

  private static SandboxResponse ok(Object body) {
    return SandboxResponse.json(200, Json.write(body));
  }

  private static SandboxResponse notAllowed(SandboxRequest req) {
    return error(405, req.method() + " not allowed on " + req.path());
  }

  private static SandboxResponse error(int status, String message) {
    return SandboxResponse.json(status, Json.write(Map.of("error", String.valueOf(message))));
  }
}
