package dev.dbops.workflows.restore;

import java.util.List;

/** Estimated retrieval cost, with one line per storage class / tier. */
public record CostEstimate(double totalUsd, long requests, long bytes, List<String> lines) {}
