package dev.dbops.sandbox;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * {@code /_sandbox/route53/…} of the admin API: create private zones, read and seed record sets,
 * script a failing or slow change, read a change's status. Answers JSON-ready values. Documented in
 * sandbox/README.md.
 */
final class Route53AdminRoutes {

  private final Route53Sandbox route53;

  Route53AdminRoutes(Route53Sandbox route53) {
    this.route53 = route53;
  }

  /**
   * @param rest the path after {@code /_sandbox/route53}
   */
  Object route(String method, String rest, Map<String, String> p) {
    if (rest.equals("/zones")) {
      return switch (method) {
        case "GET" ->
            route53.zones(p.getOrDefault("account", SandboxAccounts.DEFAULT_ACCOUNT)).stream()
                .map(Route53AdminRoutes::json)
                .toList();
        case "POST" ->
            json(
                route53
                    .zone(
                        route53.createPrivateZone(
                            p.getOrDefault("account", SandboxAccounts.DEFAULT_ACCOUNT),
                                required(p, "name"),
                            p.getOrDefault("region", RdsSandbox.REGION), required(p, "vpc")))
                    .orElseThrow());
        default -> throw unknown(method, rest);
      };
    }
    if (rest.startsWith("/changes/") && "GET".equals(method)) {
      String id = rest.substring("/changes/".length());
      return Map.of(
          "id",
          id,
          "status",
          route53
              .changeStatus(id)
              .orElseThrow(() -> new NoSuchElementException("no Route53 change " + id)));
    }
    if (rest.startsWith("/zones/")) {
      String[] parts = rest.substring("/zones/".length()).split("/", 2);
      String zone = parts[0];
      String action = parts.length > 1 ? parts[1] : "";
      switch (method + " " + action) {
        case "GET " -> {
          return json(
              route53.zone(zone).orElseThrow(() -> new NoSuchElementException("no zone " + zone)));
        }
        case "GET records" -> {
          return route53.records(zone).stream()
              .map(
                  r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", r.name());
                    m.put("type", r.type());
                    m.put("ttl", r.ttl());
                    m.put("values", r.values());
                    return m;
                  })
              .toList();
        }
        case "POST records" ->
            route53.upsertRecord(
                zone,
                required(p, "name"),
                p.getOrDefault("type", "CNAME"),
                Long.parseLong(p.getOrDefault("ttl", "0")),
                SandboxRequest.csv(required(p, "value")).toArray(String[]::new));
        case "POST fail-next-change" ->
            route53.failNextChange(
                zone, p.getOrDefault("message", "scripted failure (sandbox admin API)"));
        case "POST delay-next-change" ->
            route53.delayNextChange(Duration.parse(required(p, "duration")));
        default -> throw unknown(method, rest);
      }
      return json(route53.zone(zone).orElseThrow());
    }
    throw unknown(method, rest);
  }

  private static Map<String, Object> json(Route53Sandbox.ZoneView z) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", z.id());
    m.put("account", z.account());
    m.put("name", z.name());
    m.put("privateZone", z.privateZone());
    m.put("vpcIds", z.vpcIds());
    m.put("recordSetCount", z.recordSetCount());
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
    return new NoSuchElementException("no admin resource " + method + " /_sandbox/route53" + rest);
  }
}
