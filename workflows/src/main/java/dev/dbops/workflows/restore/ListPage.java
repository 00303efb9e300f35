package dev.dbops.workflows.restore;

import java.util.List;

/**
 * @param nextPageToken null when this was the last page
 */
public record ListPage(List<ObjectInfo> objects, String nextPageToken) {}
