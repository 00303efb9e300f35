package dev.dbops.workflows.migration;

import java.util.List;

/**
 * What to read about the source instance before anything changes.
 *
 * @param parameterGroupNames groups whose family to look up besides the instance's own (the
 *     request's aurora-mysql5.7 cluster / instance groups, the mysql5.7 group of a source upgrade):
 *     DB parameter groups and DB cluster parameter groups alike
 */
public record SourceQuery(String instanceId, List<String> parameterGroupNames) {}
