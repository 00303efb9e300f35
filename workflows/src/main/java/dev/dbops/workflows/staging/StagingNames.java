package dev.dbops.workflows.staging;

/**
 * Names of everything a run creates, derived from its workflow id so a resumed run finds (and
 * adopts) its own resources instead of making second ones. A short hash keeps two long ids with the
 * same prefix apart after truncation to RDS's 63 characters.
 */
public record StagingNames(
    String snapshotId,
    String copySnapshotId,
    String clusterId,
    String instancePrefix,
    String finalSnapshotPrefix) {

  public static StagingNames forWorkflow(String workflowId) {
    String slug =
        workflowId
            .toLowerCase()
            .replaceAll("[^a-z0-9-]", "-")
            .replaceAll("-{2,}", "-")
            .replaceAll("^-|-$", "");
    String hash = Long.toHexString(fnv(workflowId) & 0xffffffffL);
    String base = "dbops-stg-" + slug;
    int room = 63 - "-cmk".length() - 1 - hash.length();
    if (base.length() > room) base = base.substring(0, room).replaceAll("-$", "");
    String id = base + "-" + hash;
    return new StagingNames(id, id + "-cmk", id, id + "-", id + "-final");
  }

  /** FNV-1a: stable across JVMs and releases, unlike anything seeded. */
  private static long fnv(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  public String instanceId(int index) {
    return instancePrefix + (index + 1);
  }
}
