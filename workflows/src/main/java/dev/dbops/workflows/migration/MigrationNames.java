package dev.dbops.workflows.migration;

/**
 * Names of what a run creates, derived from its workflow id so a resumed run finds (and adopts) its
 * own cluster instead of making a second one. A short hash keeps two long ids with the same prefix
 * apart after truncation to RDS's 63 characters.
 */
public record MigrationNames(String clusterId, String instancePrefix) {

  public static MigrationNames forWorkflow(String workflowId) {
    String slug =
        workflowId
            .toLowerCase()
            .replaceAll("[^a-z0-9-]", "-")
            .replaceAll("-{2,}", "-")
            .replaceAll("^-|-$", "");
    String hash = Long.toHexString(fnv(workflowId) & 0xffffffffL);
    String base = "dbops-aurora-" + slug;
    int room = 63 - "-15".length() - 1 - hash.length();
    if (base.length() > room) base = base.substring(0, room).replaceAll("-$", "");
    String id = base + "-" + hash;
    return new MigrationNames(id, id + "-");
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

  /** The instance with 0-based {@code index}: the first is the writer after promotion. */
  public String instanceId(int index) {
    return instancePrefix + (index + 1);
  }
}
