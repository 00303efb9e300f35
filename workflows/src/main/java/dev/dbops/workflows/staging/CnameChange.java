package dev.dbops.workflows.staging;

/**
 * UPSERT of the CNAME.
 *
 * @param comment goes into the change batch (the workflow id, so Route53's own history says who)
 */
public record CnameChange(
    AccountRef account, DnsTarget dns, String value, long ttl, String comment) {}
