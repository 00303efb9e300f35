package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.DnsRules;

/**
 * The private CNAME that names "staging" for everything that connects to it.
 *
 * @param hostedZoneId the private hosted zone in the target account (e.g. {@code Z0123456789ABC})
 * @param recordName the CNAME record, e.g. {@code db.staging.internal.}; must exist in the zone
 * @param ttl seconds; default 0 so clients follow a cutover at once
 */
public record DnsTarget(String hostedZoneId, String recordName, Long ttl) {
  public long ttlOrDefault() {
    return ttl == null ? 0 : ttl;
  }

  /** Route53 names are absolute; compare them with the trailing dot and lower case. */
  public String normalizedName() {
    return DnsRules.absolute(recordName);
  }
}
