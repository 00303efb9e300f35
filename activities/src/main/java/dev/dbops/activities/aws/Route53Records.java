package dev.dbops.activities.aws;

import dev.dbops.workflows.common.CnameFacts;
import dev.dbops.workflows.common.DnsChange;
import dev.dbops.workflows.common.ErrorTypes;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.GetHostedZoneResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Route53 hosted zones and CNAME records: the one read of a zone and its record, the one idempotent
 * UPSERT and the one INSYNC check that every procedure repointing a CNAME shares (staging rebuild,
 * upgrade rollback). Failures classified by {@link AwsFailures}.
 */
public final class Route53Records {
  private final Route53Client r53;

  public Route53Records(Route53Client r53) {
    this.r53 = r53;
  }

  /**
   * GetHostedZone, then ListResourceRecordSets at the name: the zone's name and privacy and the
   * record's type, first value and TTL. A missing zone leaves the name null, a missing record the
   * type null.
   */
  public CnameFacts read(String hostedZoneId, String recordName) {
    String zoneId = zoneId(hostedZoneId);
    Optional<GetHostedZoneResponse> zone =
        AwsFailures.ifExists(
            () ->
                AwsFailures.call(
                    "GetHostedZone", zoneId, () -> r53.getHostedZone(b -> b.id(zoneId))));
    if (zone.isEmpty()) return new CnameFacts(null, false, null, null, null);
    boolean zonePrivate =
        zone.get().hostedZone().config() != null
            && Boolean.TRUE.equals(zone.get().hostedZone().config().privateZone());
    Optional<ResourceRecordSet> rr = find(zoneId, absolute(recordName));
    return new CnameFacts(
        zone.get().hostedZone().name(),
        zonePrivate,
        rr.map(ResourceRecordSet::typeAsString).orElse(null),
        rr.filter(r -> !r.resourceRecords().isEmpty())
            .map(r -> r.resourceRecords().get(0).value())
            .orElse(null),
        rr.map(ResourceRecordSet::ttl).orElse(null));
  }

  /**
   * ChangeResourceRecordSets UPSERT of the CNAME; when the record already has this value (compared
   * as DNS names) and TTL, nothing is sent and the answer is {@code none} / INSYNC, so a retried or
   * resumed call makes one change at most.
   */
  public Upserted upsertCname(
      String hostedZoneId, String recordName, String value, long ttl, String comment) {
    String zoneId = zoneId(hostedZoneId);
    String name = absolute(recordName);
    Optional<ResourceRecordSet> now = find(zoneId, name);
    if (now.isPresent()
        && now.get().type() == RRType.CNAME
        && now.get().ttl() != null
        && now.get().ttl() == ttl
        && !now.get().resourceRecords().isEmpty()
        && host(now.get().resourceRecords().get(0).value()).equals(host(value))) {
      return new Upserted(new DnsChange("none", DnsChange.INSYNC), false);
    }
    ChangeInfo info =
        AwsFailures.call(
            "ChangeResourceRecordSets",
            name + " in " + zoneId,
            () ->
                r53.changeResourceRecordSets(
                        b ->
                            b.hostedZoneId(zoneId)
                                .changeBatch(
                                    cb ->
                                        cb.comment(comment)
                                            .changes(
                                                ch ->
                                                    ch.action(ChangeAction.UPSERT)
                                                        .resourceRecordSet(
                                                            rr ->
                                                                rr.name(name)
                                                                    .type(RRType.CNAME)
                                                                    .ttl(ttl)
                                                                    .resourceRecords(
                                                                        v -> v.value(value))))))
                    .changeInfo());
    return new Upserted(
        new DnsChange(stripPrefix(info.id(), "/change/"), info.statusAsString()), true);
  }

  /** What an UPSERT did: {@code sent} is false when the record already had the value and TTL. */
  public record Upserted(DnsChange change, boolean sent) {}

  /** GetChange: INSYNC → the change; anything else → NOT_READY (retry = poll). */
  public DnsChange checkInsync(String changeId) {
    ChangeInfo info =
        AwsFailures.call(
            "GetChange", changeId, () -> r53.getChange(b -> b.id(changeId)).changeInfo());
    if (!DnsChange.INSYNC.equals(info.statusAsString()))
      throw ErrorTypes.notReady("change " + changeId + " is " + info.statusAsString());
    return new DnsChange(changeId, DnsChange.INSYNC);
  }

  /**
   * The record set at {@code name}, whatever its type. No StartRecordType=CNAME on purpose: a CNAME
   * cannot share its name with another type, so the first set at the name is the CNAME when there
   * is one, and when the name holds an A record instead the caller sees that (a conflict the
   * validator reports) rather than "no record".
   */
  public Optional<ResourceRecordSet> find(String hostedZoneId, String name) {
    String zoneId = zoneId(hostedZoneId);
    return AwsFailures.call(
        "ListResourceRecordSets",
        name + " in " + zoneId,
        () ->
            r53
                .listResourceRecordSets(
                    b -> b.hostedZoneId(zoneId).startRecordName(name).maxItems("1"))
                .resourceRecordSets()
                .stream()
                .filter(r -> host(r.name()).equals(host(name)))
                .findFirst());
  }

  /** Route53 ids may come with their {@code /hostedzone/} prefix; the API wants the bare id. */
  public static String zoneId(String id) {
    return stripPrefix(id, "/hostedzone/");
  }

  /** DNS names compare without case and trailing dot. */
  public static String host(String name) {
    if (name == null) return "";
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private static String absolute(String name) {
    return dev.dbops.workflows.common.DnsRules.absolute(name);
  }

  private static String stripPrefix(String id, String prefix) {
    return id != null && id.startsWith(prefix) ? id.substring(prefix.length()) : id;
  }
}
