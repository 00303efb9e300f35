package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.DbLogin;
import java.util.List;

/** Compare tables, columns and indexes of {@code schemas} between source and restored copy. */
public record DriftCheck(
    String sourceEndpoint,
    int sourcePort,
    DbLogin sourceLogin,
    String targetEndpoint,
    int targetPort,
    DbLogin targetLogin,
    List<String> schemas) {}
