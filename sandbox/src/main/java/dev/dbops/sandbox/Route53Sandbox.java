package dev.dbops.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's Route53 state (hosted zones with their record sets, change batches) and its
 * in-process admin API. A test double, not AWS. Zones belong to an account and are invisible to the
 * others; zone ids ({@code ZSBX…}) are unique across accounts, so the Java API addresses zones by
 * id alone.
 *
 * <p>A change applies to the record sets at once and is {@code PENDING} for {@link
 * Route53Timings#changePropagation()} on the sandbox clock, then {@code INSYNC}. Every zone has its
 * apex SOA and NS record sets, as in Route53.
 *
 * <pre>{@code
 * String zone = sandbox.route53().createPrivateZone("210987654321", "staging.internal", "us-east-1", "vpc-0staging");
 * sandbox.route53().upsertRecord(zone, "db.staging.internal", "CNAME", 0, "staging-old.cluster-….rds.amazonaws.com");
 * sandbox.route53().failNextChange(zone, "scripted by the test");     // the next ChangeResourceRecordSets: InvalidChangeBatch
 * sandbox.route53().recordValue(zone, "db.staging.internal.", "CNAME"); // Optional of the current value
 * }</pre>
 */
public final class Route53Sandbox {

  /**
   * A record set as the admin API shows it ({@code name} fully qualified, lower case, trailing
   * dot).
   */
  public record RecordView(String name, String type, long ttl, List<String> values) {

    public RecordView {
      values = List.copyOf(values);
    }

    /** The first (for CNAME: the only) value. */
    public String value() {
      return values.get(0);
    }
  }

  /**
   * A hosted zone as the admin API shows it; {@code id} without the {@code /hostedzone/} prefix.
   */
  public record ZoneView(
      String id,
      String account,
      String name,
      boolean privateZone,
      List<String> vpcIds,
      int recordSetCount) {}

  /** Types ChangeResourceRecordSets accepts. */
  static final Set<String> TYPES =
      Set.of(
          "A", "AAAA", "CAA", "CNAME", "DS", "MX", "NAPTR", "NS", "PTR", "SOA", "SPF", "SRV",
          "TXT");

  private static final Logger log = LoggerFactory.getLogger(Route53Sandbox.class);

  /** One hosted zone; guarded by the sandbox's lock. */
  static final class Zone {
    final String id;
    final String account;
    final String name;
    final String callerReference;
    final String comment;
    final boolean privateZone;
    final List<String[]> vpcs = new ArrayList<>(); // {region, id}
    final TreeMap<RecordKey, RecordView> records = new TreeMap<>();

    Zone(
        String id,
        String account,
        String name,
        String callerReference,
        String comment,
        boolean privateZone) {
      this.id = id;
      this.account = account;
      this.name = name;
      this.callerReference = callerReference;
      this.comment = comment;
      this.privateZone = privateZone;
    }
  }

  /**
   * Route53's record order: name with its labels reversed ({@code internal.staging.db}), then type.
   */
  record RecordKey(String name, String type) implements Comparable<RecordKey> {

    private static final Comparator<RecordKey> ORDER =
        Comparator.comparing((RecordKey k) -> reversedLabels(k.name))
            .thenComparing(RecordKey::type);

    @Override
    public int compareTo(RecordKey o) {
      return ORDER.compare(this, o);
    }

    static String reversedLabels(String name) {
      List<String> labels = new ArrayList<>(List.of(name.split("\\.")));
      java.util.Collections.reverse(labels);
      return String.join(".", labels);
    }
  }

  /** One submitted change batch. */
  record Change(
      String id,
      String account,
      String zoneId,
      Instant submittedAt,
      Instant insyncAt,
      String comment) {

    String status(Instant now) {
      return now.isBefore(insyncAt) ? "PENDING" : "INSYNC";
    }
  }

  /** One change of a batch, as ChangeResourceRecordSets sent it. */
  record ChangeRequest(String action, String name, String type, Long ttl, List<String> values) {}

  /** A scripted failure of the next ChangeResourceRecordSets (of one zone, or of any when null). */
  private record ScriptedFailure(String zoneId, String message) {}

  private final SandboxClock clock;
  private final Route53Timings timings;
  private final SandboxAccounts accounts;
  private final Map<String, Zone> zones = new LinkedHashMap<>();
  private final Map<String, Change> changes = new LinkedHashMap<>();
  private final Deque<ScriptedFailure> scriptedFailures = new ArrayDeque<>();
  private final AtomicLong ids = new AtomicLong();
  private Duration nextChangePropagation;

  Route53Sandbox(SandboxConfig config, SandboxClock clock, SandboxAccounts accounts) {
    this.clock = clock;
    this.timings = config.route53();
    this.accounts = accounts;
  }

  // ---------------------------------------------------------------- admin API

  /**
   * A private zone in the default account, associated with {@code vpcId} in {@link
   * RdsSandbox#REGION}.
   */
  public String createPrivateZone(String name, String vpcId) {
    return createPrivateZone(SandboxAccounts.DEFAULT_ACCOUNT, name, RdsSandbox.REGION, vpcId);
  }

  /**
   * A private hosted zone in {@code account} (hosted from now on), associated with one VPC, with
   * its SOA and NS record sets.
   *
   * @return its id, e.g. {@code ZSBX00000000000001} (what {@code HostedZone.id()} returns in the
   *     SDK)
   */
  public synchronized String createPrivateZone(
      String account, String name, String vpcRegion, String vpcId) {
    accounts.add(account);
    String zoneName = fqdn(name);
    String id = String.format("ZSBX%014d", ids.incrementAndGet());
    Zone z =
        new Zone(id, account, zoneName, "sandbox-" + id, "sandbox private zone " + zoneName, true);
    z.vpcs.add(
        new String[] {
          Objects.requireNonNull(vpcRegion, "vpcRegion"), Objects.requireNonNull(vpcId, "vpcId")
        });
    z.records.put(
        new RecordKey(zoneName, "SOA"),
        new RecordView(
            zoneName,
            "SOA",
            900,
            List.of(
                "ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400")));
    z.records.put(
        new RecordKey(zoneName, "NS"),
        new RecordView(
            zoneName,
            "NS",
            172800,
            List.of(
                "ns-1536.awsdns-00.co.uk.",
                "ns-0.awsdns-00.com.",
                "ns-1024.awsdns-00.org.",
                "ns-512.awsdns-00.net.")));
    zones.put(id, z);
    log.info(
        "[sandbox, test double] Route53 private zone {} ({}) in account {}, VPC {}/{}",
        zoneName,
        id,
        account,
        vpcRegion,
        vpcId);
    return id;
  }

  /** Creates or replaces a record set at once (no change batch, no PENDING): for seeding. */
  public synchronized void upsertRecord(
      String zoneId, String name, String type, long ttl, String... values) {
    Zone z = existing(zoneId);
    ChangeRequest c = new ChangeRequest("UPSERT", fqdn(name), type, ttl, List.of(values));
    List<String> problems = new ArrayList<>();
    TreeMap<RecordKey, RecordView> after = apply(z, List.of(c), problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join(", ", problems));
    }
    z.records.clear();
    z.records.putAll(after);
  }

  /** The record set now, if any ({@code name} with or without the trailing dot, any case). */
  public synchronized Optional<RecordView> record(String zoneId, String name, String type) {
    return Optional.ofNullable(existing(zoneId).records.get(new RecordKey(fqdn(name), type)));
  }

  /** The first value of the record set now (a CNAME's target), if it exists. */
  public Optional<String> recordValue(String zoneId, String name, String type) {
    return record(zoneId, name, type).map(RecordView::value);
  }

  /** Every record set of the zone, in Route53's order. */
  public synchronized List<RecordView> records(String zoneId) {
    return List.copyOf(existing(zoneId).records.values());
  }

  public synchronized Optional<ZoneView> zone(String zoneId) {
    Zone z = zones.get(zoneId);
    return z == null ? Optional.empty() : Optional.of(view(z));
  }

  /** The account's zones. */
  public synchronized List<ZoneView> zones(String account) {
    return zonesOf(account).stream().map(Route53Sandbox::view).toList();
  }

  /**
   * {@code PENDING} / {@code INSYNC} of a change id (with or without {@code /change/}), if it
   * exists.
   */
  public synchronized Optional<String> changeStatus(String changeId) {
    Change c = changes.get(stripPrefix(changeId, "/change/"));
    return c == null ? Optional.empty() : Optional.of(c.status(clock.instant()));
  }

  /**
   * The next ChangeResourceRecordSets of {@code zoneId} (null: of any zone) fails with 400 {@code
   * InvalidChangeBatch} "[message]" and changes nothing. Scripts queue up, one failure each.
   */
  public synchronized void failNextChange(String zoneId, String message) {
    scriptedFailures.addLast(
        new ScriptedFailure(zoneId, Objects.requireNonNull(message, "message")));
  }

  /**
   * The next accepted change stays {@code PENDING} for {@code propagation} instead of the
   * configured time.
   */
  public synchronized void delayNextChange(Duration propagation) {
    if (propagation.isNegative()) {
      throw new IllegalArgumentException("propagation must not be negative: " + propagation);
    }
    this.nextChangePropagation = propagation;
  }

  // ---------------------------------------------------------------- used by Route53Handler

  Instant now() {
    return clock.instant();
  }

  SandboxAccounts accounts() {
    return accounts;
  }

  /**
   * The account's zone, else 404 {@code NoSuchHostedZone}; an id with its {@code /hostedzone/}
   * prefix (as ListHostedZonesByName returns it, the SDK does not strip it there) is 400 {@code
   * InvalidInput}.
   */
  synchronized Zone zoneOrFault(String account, String zoneId) {
    if (zoneId.startsWith("/")) {
      throw Route53Errors.invalidInput(
              "Invalid hosted zone id " + zoneId + ": pass the id without " + "/hostedzone/")
          .exception();
    }
    Zone z = zones.get(zoneId);
    if (z == null || !z.account.equals(account)) {
      throw Route53Errors.noSuchHostedZone(zoneId).exception();
    }
    return z;
  }

  /** The account's zones by id. */
  synchronized List<Zone> zonesOf(String account) {
    return zones.values().stream()
        .filter(z -> z.account.equals(account))
        .sorted(Comparator.comparing(z -> z.id))
        .toList();
  }

  synchronized Change changeOrFault(String account, String changeId) {
    if (changeId.startsWith("/")) {
      throw Route53Errors.invalidInput(
              "Invalid change id " + changeId + ": pass the id without /change/")
          .exception();
    }
    Change c = changes.get(changeId);
    if (c == null || !c.account().equals(account)) {
      throw Route53Errors.noSuchChange(changeId).exception();
    }
    return c;
  }

  /**
   * ChangeResourceRecordSets: all changes or none. A scripted failure, or any invalid change,
   * answers 400 {@code InvalidChangeBatch} with every problem listed, as Route53 does.
   */
  synchronized Change change(
      String account, String zoneId, String comment, List<ChangeRequest> requested) {
    Zone z = zoneOrFault(account, zoneId);
    for (ScriptedFailure f : scriptedFailures) {
      if (f.zoneId() == null || f.zoneId().equals(z.id)) {
        scriptedFailures.remove(f);
        log.info(
            "[sandbox, test double] Route53 change of zone {} fails as scripted: {}",
            z.id,
            f.message());
        throw Route53Errors.invalidChangeBatch(List.of(f.message())).exception();
      }
    }
    List<String> problems = new ArrayList<>();
    TreeMap<RecordKey, RecordView> after = apply(z, requested, problems);
    if (!problems.isEmpty()) {
      throw Route53Errors.invalidChangeBatch(problems).exception();
    }
    z.records.clear();
    z.records.putAll(after);
    Instant now = clock.instant();
    Duration propagation =
        nextChangePropagation != null ? nextChangePropagation : timings.changePropagation();
    nextChangePropagation = null;
    Change c =
        new Change(
            String.format("CSBX%014d", ids.incrementAndGet()),
            account,
            z.id,
            now,
            now.plus(propagation),
            comment);
    changes.put(c.id(), c);
    log.info(
        "[sandbox, test double] Route53 change {} of zone {}: {}",
        c.id(),
        z.id,
        requested.stream()
            .map(r -> r.action() + " " + r.name() + " " + r.type() + " " + r.values())
            .toList());
    return c;
  }

  // ---------------------------------------------------------------- internals

  /**
   * The zone's record sets after {@code requested}, in order; problems are added to {@code
   * problems}.
   */
  private static TreeMap<RecordKey, RecordView> apply(
      Zone z, List<ChangeRequest> requested, List<String> problems) {
    TreeMap<RecordKey, RecordView> records = new TreeMap<>(z.records);
    java.util.Set<RecordKey> touched = new java.util.HashSet<>();
    for (ChangeRequest r : requested) {
      String name = fqdn(r.name());
      RecordKey key = new RecordKey(name, r.type());
      String what = "[name='" + name + "', type='" + r.type() + "']";
      if (!touched.add(key)) {
        problems.add(
            "The request contains an invalid set of changes for a resource record set '"
                + r.type()
                + " "
                + name
                + "'");
        continue;
      }
      if (!name.equals(z.name) && !name.endsWith("." + z.name)) {
        problems.add("RRSet with DNS name " + name + " is not permitted in zone " + z.name);
        continue;
      }
      boolean apex = name.equals(z.name);
      if (apex
          && ("SOA".equals(r.type()) || "NS".equals(r.type()))
          && !"UPSERT".equals(r.action())) {
        problems.add(
            "A HostedZone must contain exactly one "
                + r.type()
                + " record set at its apex; "
                + r.action()
                + " is not permitted for "
                + what);
        continue;
      }
      RecordView current = records.get(key);
      RecordView wanted = new RecordView(name, r.type(), r.ttl() == null ? 0 : r.ttl(), r.values());
      switch (r.action()) {
        case "CREATE", "UPSERT" -> {
          if ("CREATE".equals(r.action()) && current != null) {
            problems.add("Tried to create resource record set " + what + " but it already exists");
            continue;
          }
          if ("CNAME".equals(r.type()) && apex) {
            problems.add(
                "RRSet of type CNAME with DNS name "
                    + name
                    + " is not permitted at apex in zone "
                    + z.name);
            continue;
          }
          if ("CNAME".equals(r.type()) && r.values().size() != 1) {
            problems.add(
                "RRSet of type CNAME with DNS name "
                    + name
                    + " has "
                    + r.values().size()
                    + " resource records; a CNAME has exactly one");
            continue;
          }
          String conflict = conflictingType(records, name, r.type());
          if (conflict != null) {
            problems.add(
                "RRSet of type "
                    + r.type()
                    + " with DNS name "
                    + name
                    + " is not permitted because "
                    + "a conflicting RRSet of type "
                    + conflict
                    + " with the same DNS name already exists in "
                    + "zone "
                    + z.name);
            continue;
          }
          records.put(key, wanted);
        }
        case "DELETE" -> {
          if (current == null) {
            problems.add("Tried to delete resource record set " + what + " but it was not found");
          } else if (current.ttl() != wanted.ttl() || !current.values().equals(wanted.values())) {
            problems.add(
                "Tried to delete resource record set "
                    + what
                    + " but the values provided do not match the current values");
          } else {
            records.remove(key);
          }
        }
        default -> problems.add("Invalid action " + r.action() + " for " + what);
      }
    }
    return records;
  }

  /**
   * A type that cannot live next to {@code type} at {@code name} (CNAME excludes every other type).
   */
  private static String conflictingType(
      Map<RecordKey, RecordView> records, String name, String type) {
    for (RecordKey k : records.keySet()) {
      if (k.name().equals(name)
          && !k.type().equals(type)
          && ("CNAME".equals(type) || "CNAME".equals(k.type()))) {
        return k.type();
      }
    }
    return null;
  }

  private Zone existing(String zoneId) {
    Zone z = zones.get(stripPrefix(zoneId, "/hostedzone/"));
    if (z == null) {
      throw new IllegalArgumentException("no Route53 hosted zone " + zoneId + " in the sandbox");
    }
    return z;
  }

  private static ZoneView view(Zone z) {
    return new ZoneView(
        z.id,
        z.account,
        z.name,
        z.privateZone,
        z.vpcs.stream().map(v -> v[1]).toList(),
        z.records.size());
  }

  /**
   * Lower case with the trailing dot: {@code DB.Staging.Internal} → {@code db.staging.internal.}.
   */
  static String fqdn(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n : n + ".";
  }

  static String stripPrefix(String id, String prefix) {
    return id.startsWith(prefix) ? id.substring(prefix.length()) : id;
  }
}
