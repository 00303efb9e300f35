package dev.dbops.workflows.staging;

import java.util.List;

/**
 * Schema differences, one line each (e.g. {@code app.users: column phone varchar(32) ->
 * varchar(64)}).
 *
 * @param tablesCompared how many tables were compared on each side
 */
public record DriftReport(int tablesCompared, List<String> differences) {}
