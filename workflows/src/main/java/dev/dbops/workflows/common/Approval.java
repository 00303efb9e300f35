package dev.dbops.workflows.common;

/** Signal payload: a person approves the step the run is waiting on. */
public record Approval(String by, String comment) {}
