package dev.dbops.workflows.common;

/** Signal payload: a person stops a run that is waiting (e.g. an upgrade past its threshold). */
public record Abort(String by, String reason) {}
