package dev.dbops.workflows.common;

/** One line of a run's timeline: what happened, when (ISO-8601 workflow time), and details. */
public record StepRecord(String step, String at, String detail) {}
