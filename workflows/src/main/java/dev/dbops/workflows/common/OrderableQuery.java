package dev.dbops.workflows.common;

import java.util.List;

/**
 * The DB instance classes a run will create instances with, or keep instances under after an engine
 * change, to be looked up in DescribeOrderableDBInstanceOptions for the engine and engine version
 * those instances will run.
 */
public record OrderableQuery(String engine, String engineVersion, List<String> instanceClasses) {}
