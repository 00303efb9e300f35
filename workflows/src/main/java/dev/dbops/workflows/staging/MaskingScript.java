package dev.dbops.workflows.staging;

/**
 * The masking SQL as read at validation time: its hash goes into the audit trail and the run
 * refuses to mask with a script whose hash changed since.
 */
public record MaskingScript(String sha256, int statements, int verifyQueries, String source) {}
