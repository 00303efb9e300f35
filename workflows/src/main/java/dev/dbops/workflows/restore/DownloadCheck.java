package dev.dbops.workflows.restore;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DOWNLOAD's check before any restore, the pure part: every key is mapped onto its path ({@link
 * DeliveryPaths}); what the worker must look at (room for the objects, the subdirectories) is asked
 * in {@link #request()}, and {@link #refused} says which keys cannot be delivered given what it
 * found. Deterministic, so it runs in workflow code and in plain unit tests.
 */
final class DownloadCheck {
  private final String directory;
  private final List<String> keys;
  private final Map<String, String> refusedByName;
  private final Set<String> subdirectories = new LinkedHashSet<>();
  private long bytes;
  private int files;

  DownloadCheck(String directory, List<ObjectInfo> inventory) {
    this.directory = directory;
    this.keys = inventory.stream().map(ObjectInfo::key).toList();
    this.refusedByName = DeliveryPaths.undeliverable(keys, false);
    for (ObjectInfo o : inventory) {
      if (refusedByName.containsKey(o.key())) continue;
      String sub = DeliveryPaths.directoryOf(o.key());
      if (sub != null && subdirectories.size() < DirectoryCheck.MAX_SUBDIRECTORIES)
        subdirectories.add(sub);
      if (DeliveryPaths.isDirectoryMarker(o.key())) continue;
      bytes += o.size();
      files++;
    }
  }

  /** What the worker is asked to check. */
  DirectoryCheck request() {
    return new DirectoryCheck(directory, bytes, files, List.copyOf(subdirectories));
  }

  /** Bytes of the objects to deliver there. */
  long bytes() {
    return bytes;
  }

  /**
   * Keys that cannot get a path of their own (not canonical, colliding — case-folded where the file
   * system folds), or that lie under a subdirectory nothing may be written in, with why; in key
   * order.
   */
  Map<String, String> refused(DirectoryFacts facts) {
    Map<String, String> refused =
        new LinkedHashMap<>(
            facts.caseInsensitive() ? DeliveryPaths.undeliverable(keys, true) : refusedByName);
    Map<String, String> badDirs =
        facts.refusedSubdirectories() == null ? Map.of() : facts.refusedSubdirectories();
    for (String key : keys) {
      String sub = DeliveryPaths.directoryOf(key);
      String why = sub == null ? null : badDirs.get(sub);
      if (why != null) refused.putIfAbsent(key, why);
    }
    return refused;
  }
}
