package dev.dbops.workflows.staging;

/** What to look up in the target account before anything is changed. */
public record TargetQuery(AccountRef account, DnsTarget dns, String oldClusterId, String newClusterId) {}
