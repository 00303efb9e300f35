package dev.dbops.workflows.staging;

/** One verification query and the number it returned (0 = masked). */
public record VerifyResult(String query, long value) {}
