package dev.dbops.workflows.upgrade;

public record ClusterEndpoints(
    String clusterId, String endpoint, String readerEndpoint, int port) {}
