package dev.dbops.workflows.restore;

import java.util.List;

/**
 * Are these objects restored yet? With {@code prefix} set the check reads ListObjectsV2 with
 * restore status from {@code startAfter} (one call per 1,000 keys); otherwise HeadObject each.
 */
public record ReadinessCheck(
    String bucket, List<String> keys, String prefix, String startAfter, int concurrency) {}
