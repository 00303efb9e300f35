package dev.dbops.workflows.restore;

import java.util.List;

/**
 * One page of the inventory: by prefix (ListObjectsV2) or an explicit key list (HeadObject each).
 *
 * @param pageToken ListObjectsV2 continuation token, or the offset into {@code keys}; null first
 */
public record ListQuery(
    String bucket,
    String prefix,
    List<String> keys,
    String pageToken,
    int pageSize,
    int concurrency) {}
