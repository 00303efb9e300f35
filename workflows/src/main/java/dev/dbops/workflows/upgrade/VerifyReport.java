package dev.dbops.workflows.upgrade;

import java.util.List;

/**
 * @param smokeResults one line per smoke statement: the statement and its first row / count
 */
public record VerifyReport(String version, List<String> smokeResults) {}
