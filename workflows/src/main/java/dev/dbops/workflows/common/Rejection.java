package dev.dbops.workflows.common;

/** Signal payload: a person refuses the step the run is waiting on; the run fails. */
public record Rejection(String by, String reason) {}
