package dev.dbops.workflows.common;

import io.temporal.activity.ActivityInterface;

/**
 * The private CNAME a procedure repoints, in the worker's own account; shared by every procedure
 * that moves a name to a new cluster. Idempotent, errors classified through {@link ErrorTypes}.
 * Activity types are prefixed {@code Route53}.
 */
@ActivityInterface(namePrefix = "Route53")
public interface Route53Activities {
  /**
   * Read-only: GetHostedZone, then ListResourceRecordSets at the name. A missing zone leaves {@code
   * zoneName} null; a missing record leaves {@code recordType} null. Judged by {@link
   * DnsRules#recordProblems}.
   */
  CnameFacts readRecord(String hostedZoneId, String recordName);

  /**
   * ChangeResourceRecordSets UPSERT; when the record already has this value and TTL (a resumed run)
   * no change is sent and the status is {@code INSYNC}.
   */
  DnsChange upsertCname(CnameUpsert change);

  /** GetChange: INSYNC → the change; PENDING → NOT_READY (the retry policy is the poll loop). */
  DnsChange checkChangeInsync(String changeId);
}
