package dev.dbops.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Route53 over REST-XML ({@code /2013-04-01/…}): GetHostedZone, ListHostedZones,
 * ListHostedZonesByName, ListResourceRecordSets, ChangeResourceRecordSets and GetChange, served
 * from {@link Route53Sandbox} in the account of the caller's credentials. Anything else answers 501
 * {@code NotImplemented}.
 *
 * <p>Call log: {@code bucket} = the hosted zone id (GetChange: the change id), {@code key} = null.
 */
final class Route53Handler implements ServiceHandler {

  private static final String PREFIX = "/2013-04-01/";

  /**
   * An id path parameter is {@code Z…}; sent with its {@code /hostedzone/} prefix (URL-encoded) it
   * arrives as {@code hostedzone//hostedzone/Z…} and is refused, as Route53 refuses it.
   */
  private static final Pattern ZONE =
      Pattern.compile("^/2013-04-01/hostedzone/(/hostedzone/)?([^/]+)(/rrset/?)?$");

  private static final Pattern CHANGE = Pattern.compile("^/2013-04-01/change/(/change/)?([^/]+)$");
  private static final int MAX_ZONES = 100;
  private static final int MAX_RECORD_SETS = 300;

  private final Route53Sandbox route53;
  private final AtomicLong requestIds = new AtomicLong();

  Route53Handler(Route53Sandbox route53) {
    this.route53 = route53;
  }

  @Override
  public String service() {
    return "route53";
  }

  @Override
  public RequestTarget target(SandboxRequest req) {
    String path = req.path();
    String method = req.method();
    if (path.equals(PREFIX + "hostedzone") || path.equals(PREFIX + "hostedzone/")) {
      return new RequestTarget(
          "GET".equals(method) ? "ListHostedZones" : "CreateHostedZone", null, null);
    }
    if (path.equals(PREFIX + "hostedzonesbyname")) {
      return new RequestTarget("ListHostedZonesByName", req.query().get("hostedzoneid"), null);
    }
    Matcher zone = ZONE.matcher(path);
    if (zone.matches()) {
      String operation =
          zone.group(3) == null
              ? ("GET".equals(method) ? "GetHostedZone" : "DeleteHostedZone")
              : "GET".equals(method) ? "ListResourceRecordSets" : "ChangeResourceRecordSets";
      return new RequestTarget(
          operation, zone.group(1) == null ? zone.group(2) : "/hostedzone/" + zone.group(2), null);
    }
    Matcher change = CHANGE.matcher(path);
    if (change.matches()) {
      return new RequestTarget(
          "GetChange",
          change.group(1) == null ? change.group(2) : "/change/" + change.group(2),
          null);
    }
    return new RequestTarget("Unknown", null, null);
  }

  @Override
  public SandboxResponse handle(SandboxRequest req, RequestTarget target) {
    String account = route53.accounts().caller(req.scope().accessKeyId()).account();
    Map<String, String> q = req.query();
    synchronized (route53) {
      Instant now = route53.now();
      return switch (target.operation()) {
        case "GetHostedZone" -> {
          Route53Sandbox.Zone z = route53.zoneOrFault(account, target.bucket());
          yield ok(
              Route53Xml.document("GetHostedZoneResponse"),
              w -> {
                Route53Xml.hostedZone(w, z);
                Route53Xml.vpcs(w, z);
              });
        }
        case "ListHostedZones" -> listHostedZones(account, q);
        case "ListHostedZonesByName" -> listHostedZonesByName(account, q);
        case "ListResourceRecordSets" -> listRecordSets(account, target.bucket(), q);
        case "ChangeResourceRecordSets" -> {
          Route53Xml.Batch batch = Route53Xml.changeBatch(req.body());
          Route53Sandbox.Change c =
              route53.change(account, target.bucket(), batch.comment(), batch.changes());
          yield ok(
              Route53Xml.document("ChangeResourceRecordSetsResponse"),
              w -> Route53Xml.changeInfo(w, c, now));
        }
        case "GetChange" -> {
          Route53Sandbox.Change c = route53.changeOrFault(account, target.bucket());
          yield ok(Route53Xml.document("GetChangeResponse"), w -> Route53Xml.changeInfo(w, c, now));
        }
        default ->
            throw Route53Errors.notImplemented(
                    target.operation() + " (" + req.method() + " " + req.path() + ")")
                .exception();
      };
    }
  }

  /** Zones by id; {@code marker} = the first id to return, {@code maxitems} ≤ 100. */
  private SandboxResponse listHostedZones(String account, Map<String, String> q) {
    int max = maxItems(q, MAX_ZONES);
    String marker = q.get("marker");
    List<Route53Sandbox.Zone> all =
        route53.zonesOf(account).stream()
            .filter(z -> marker == null || z.id.compareTo(marker) >= 0)
            .toList();
    List<Route53Sandbox.Zone> page = all.subList(0, Math.min(max, all.size()));
    boolean truncated = all.size() > max;
    return ok(
        Route53Xml.document("ListHostedZonesResponse"),
        w -> {
          w.start("HostedZones");
          page.forEach(z -> Route53Xml.hostedZone(w, z));
          w.end()
              .element("Marker", marker == null ? "" : marker)
              .element("IsTruncated", truncated)
              .element("NextMarker", truncated ? all.get(max).id : null)
              .element("MaxItems", max);
        });
  }

  /**
   * Zones by name (labels reversed), then id; starting at {@code dnsname} (and {@code
   * hostedzoneid}).
   */
  private SandboxResponse listHostedZonesByName(String account, Map<String, String> q) {
    int max = maxItems(q, MAX_ZONES);
    String dnsName = q.get("dnsname") == null ? null : Route53Sandbox.fqdn(q.get("dnsname"));
    String zoneId = q.get("hostedzoneid");
    if (zoneId != null && dnsName == null) {
      throw Route53Errors.invalidInput("The input is not valid: hostedzoneid requires dnsname")
          .exception();
    }
    List<Route53Sandbox.Zone> sorted = new ArrayList<>(route53.zonesOf(account));
    sorted.sort(
        java.util.Comparator.comparing(
                (Route53Sandbox.Zone z) -> Route53Sandbox.RecordKey.reversedLabels(z.name))
            .thenComparing(z -> z.id));
    List<Route53Sandbox.Zone> all =
        sorted.stream()
            .filter(
                z ->
                    dnsName == null
                        || compareName(z.name, dnsName) > 0
                        || compareName(z.name, dnsName) == 0
                            && (zoneId == null || z.id.compareTo(zoneId) >= 0))
            .toList();
    List<Route53Sandbox.Zone> page = all.subList(0, Math.min(max, all.size()));
    boolean truncated = all.size() > max;
    return ok(
        Route53Xml.document("ListHostedZonesByNameResponse"),
        w -> {
          w.start("HostedZones");
          page.forEach(z -> Route53Xml.hostedZone(w, z));
          w.end()
              .element("DNSName", dnsName)
              .element("HostedZoneId", zoneId)
              .element("IsTruncated", truncated)
              .element("NextDNSName", truncated ? all.get(max).name : null)
              .element("NextHostedZoneId", truncated ? all.get(max).id : null)
              .element("MaxItems", max);
        });
  }

  /**
   * Record sets from {@code name} (and {@code type}) on, in Route53's order; {@code maxitems} ≤
   * 300.
   */
  private SandboxResponse listRecordSets(String account, String zoneId, Map<String, String> q) {
    Route53Sandbox.Zone z = route53.zoneOrFault(account, zoneId);
    int max = maxItems(q, MAX_RECORD_SETS);
    String name = q.get("name");
    String type = q.get("type");
    if (type != null && name == null) {
      throw Route53Errors.invalidInput(
              "The input is not valid: StartRecordType requires StartRecordName")
          .exception();
    }
    if (type != null && !Route53Sandbox.TYPES.contains(type)) {
      throw Route53Errors.invalidInput("Invalid type: " + type).exception();
    }
    List<Route53Sandbox.RecordView> all = new ArrayList<>();
    if (name == null) {
      all.addAll(z.records.values());
    } else {
      Route53Sandbox.RecordKey from =
          new Route53Sandbox.RecordKey(Route53Sandbox.fqdn(name), type == null ? "" : type);
      all.addAll(z.records.tailMap(from, true).values());
    }
    List<Route53Sandbox.RecordView> page = all.subList(0, Math.min(max, all.size()));
    boolean truncated = all.size() > max;
    return ok(
        Route53Xml.document("ListResourceRecordSetsResponse"),
        w -> {
          w.start("ResourceRecordSets");
          page.forEach(r -> Route53Xml.recordSet(w, r));
          w.end()
              .element("IsTruncated", truncated)
              .element("NextRecordName", truncated ? all.get(max).name() : null)
              .element("NextRecordType", truncated ? all.get(max).type() : null)
              .element("MaxItems", max);
        });
  }

  @Override
  public SandboxResponse error(SandboxRequest req, RequestTarget target, ServiceError error) {
    String requestId = nextRequestId();
    return SandboxResponse.xml(error.status(), Route53Xml.error(error, requestId))
        .header("Content-Type", "text/xml")
        .header("x-amzn-RequestId", requestId);
  }

  @Override
  public Optional<ServiceError> faultError(
      Faults.Kind kind, SandboxRequest req, RequestTarget target) {
    return switch (kind) {
      case THROTTLE -> Optional.of(Route53Errors.throttling());
      case ERROR_500 -> Optional.of(Route53Errors.internalFailure());
      case ERROR_503 -> Optional.of(Route53Errors.serviceUnavailable());
      case ACCESS_DENIED ->
          Optional.of(
              new ServiceError(
                  403,
                  "AccessDenied",
                  "User is not authorized to perform: route53:"
                      + target.operation()
                      + " (injected by the sandbox)"));
      case NOT_FOUND -> Optional.of(Route53Errors.noSuchHostedZone("(injected by the sandbox)"));
      case INVALID_PARAMETER ->
          Optional.of(
              Route53Errors.invalidInput(
                  "Invalid input for " + target.operation() + " (injected by the sandbox)"));
      case EXPEDITED_UNAVAILABLE, DROP_CONNECTION, LATENCY -> Optional.empty();
    };
  }

  private SandboxResponse ok(XmlWriter document, java.util.function.Consumer<XmlWriter> body) {
    body.accept(document);
    return SandboxResponse.xml(200, document.toBytes())
        .header("Content-Type", "text/xml")
        .header("x-amzn-RequestId", nextRequestId());
  }

  private static int maxItems(Map<String, String> q, int limit) {
    String v = q.get("maxitems");
    if (v == null) {
      return limit;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1) {
        throw Route53Errors.invalidInput("MaxItems must be positive: " + v).exception();
      }
      return Math.min(n, limit);
    } catch (NumberFormatException e) {
      throw Route53Errors.invalidInput("Invalid MaxItems: " + v).exception();
    }
  }

  private static int compareName(String a, String b) {
    return Route53Sandbox.RecordKey.reversedLabels(a)
        .compareTo(Route53Sandbox.RecordKey.reversedLabels(b));
  }

  private String nextRequestId() {
    return String.format("SANDBOX-R53-%09d", requestIds.incrementAndGet());
  }
}
