package dev.dbops.workflows.restore;

/** A restored object and when its temporary copy expires (ISO-8601). */
public record ReadyObject(String key, String expiry) {}
