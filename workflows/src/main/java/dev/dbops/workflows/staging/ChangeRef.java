package dev.dbops.workflows.staging;

/** A Route53 change: PENDING until every Route53 server has it, then INSYNC. */
public record ChangeRef(String changeId, String status) {}
