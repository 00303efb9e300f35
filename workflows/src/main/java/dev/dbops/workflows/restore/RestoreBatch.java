package dev.dbops.workflows.restore;

import java.util.List;

/** RestoreObject for each object; safe to repeat (in-progress restores are adopted). */
public record RestoreBatch(
    String bucket,
    List<ObjectInfo> objects,
    RestoreTier tier,
    int days,
    boolean allowTierFallback,
    int concurrency) {}
