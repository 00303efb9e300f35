package dev.dbops.workflows.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules for a private Route53 CNAME that a procedure repoints, in one place: what a zone id and
 * a record name look like (checked before the run starts), and what the zone and record must be
 * before the first change (read by {@link Route53Activities#readRecord}). Every message starts with
 * the request field it is about, so the CLI names the flag.
 */
public final class DnsRules {
  private DnsRules() {}

  public static final Pattern ZONE_ID = Pattern.compile("^(/hostedzone/)?[A-Z0-9]{1,32}$");
  public static final Pattern DNS_NAME =
      Pattern.compile(
          "^(?=.{1,254}$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\\.)*"
              + "[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\\.?$");

  /** Route53 names are absolute: lower case with the trailing dot; null stays null. */
  public static String absolute(String name) {
    if (name == null) return null;
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n : n + ".";
  }

  /** The zone id and record name as written, before anything is read. */
  public static List<String> requestProblems(
      String zoneField, String zoneId, String nameField, String recordName) {
    List<String> out = new ArrayList<>();
    if (zoneId == null || !ZONE_ID.matcher(zoneId).matches()) {
      out.add(zoneField + ": '" + zoneId + "' is not a Route53 hosted zone id");
    }
    if (recordName == null || !DNS_NAME.matcher(recordName).matches()) {
      out.add(nameField + ": '" + recordName + "' is not a DNS name");
    }
    return out;
  }

  /**
   * The zone exists and is private, the record is in it, exists, and is a CNAME: what a repoint
   * needs before its first change (an UPSERT would otherwise create a record nobody uses, or fail
   * on another type, and there would be no previous value to point back to).
   *
   * @param where appended to "not found", e.g. {@code " in account 123456789012"}; empty for the
   *     worker's own account
   */
  public static List<String> recordProblems(
      String zoneField,
      String zoneId,
      String nameField,
      String recordName,
      String zoneName,
      boolean zonePrivate,
      String recordType,
      String where) {
    List<String> problems = new ArrayList<>();
    if (zoneName == null) {
      problems.add(zoneField + ": '" + zoneId + "' not found" + where);
      return problems;
    }
    String zone = absolute(zoneName);
    String name = absolute(recordName);
    if (!zonePrivate) {
      problems.add(
          zoneField + ": zone " + zone + " is public; a CNAME is repointed in a private zone only");
    }
    if (!name.equals(zone) && !name.endsWith("." + zone)) {
      problems.add(nameField + ": '" + recordName + "' is not in zone " + zone);
    } else if (recordType == null) {
      problems.add(
          nameField
              + ": no record '"
              + name
              + "' in zone "
              + zone
              + " (the cutover replaces an existing CNAME and keeps its value for revert)");
    } else if (!"CNAME".equals(recordType)) {
      problems.add(nameField + ": '" + name + "' is a " + recordType + " record, not a CNAME");
    }
    return problems;
  }

  /** {@link #recordProblems} for what {@link Route53Activities#readRecord} read. */
  public static List<String> recordProblems(
      String zoneField, String zoneId, String nameField, String recordName, CnameFacts facts) {
    return recordProblems(
        zoneField,
        zoneId,
        nameField,
        recordName,
        facts.zoneName(),
        facts.zonePrivate(),
        facts.recordType(),
        "");
  }
}
