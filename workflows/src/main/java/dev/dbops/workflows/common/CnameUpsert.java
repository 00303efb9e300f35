package dev.dbops.workflows.common;

/**
 * ChangeResourceRecordSets UPSERT of a CNAME in the worker's own account.
 *
 * @param comment goes into the change batch (the workflow id, so Route53's own history says who)
 */
public record CnameUpsert(
    String hostedZoneId, String recordName, String value, long ttl, String comment) {}
