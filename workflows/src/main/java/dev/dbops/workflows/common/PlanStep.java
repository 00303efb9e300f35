package dev.dbops.workflows.common;

/** A dry-run line: the step, the exact call it would make, and for which objects/resources. */
public record PlanStep(String step, String call, String detail) {}
