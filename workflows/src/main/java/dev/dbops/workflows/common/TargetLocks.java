package dev.dbops.workflows.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Names of the things a run acts on ("targets"), spelled one way whatever the request wrote, and
 * the id of the lock workflow that lets at most one open run act on each (see
 * {@link TargetLockInterceptor}). Two spellings of one target must give one name, or two runs
 * would get past each other; two different targets may share a name only on the safe side (a run
 * refused for a look-alike, never two runs let through).
 */
public final class TargetLocks {
  private TargetLocks() {}

  /** Every lock workflow's id starts with this. */
  public static final String PREFIX = "dbops-lock/";
  /** Workflow ids are bounded by the server (1,000 by default); longer names end in a hash. */
  static final int MAX_TARGET = 400;

  /** An RDS cluster: identifiers are case-insensitive. */
  public static String cluster(String clusterId) {
    return "cluster/" + lower(clusterId);
  }

  /** A MySQL server, from a host key that already folds its spellings (e.g. every loopback name). */
  public static String mysql(String hostKey, int port) {
    return "mysql/" + lower(hostKey) + ":" + port;
  }

  /** A DNS record in a zone: names compare without case, absolute (trailing dot). */
  public static String dnsRecord(String zoneId, String recordName) {
    String name = lower(recordName);
    if (!name.endsWith(".")) name = name + ".";
    return "dns/" + strip(zoneId) + "/" + name;
  }

  /** Objects under a key prefix of a bucket (bucket names are lower case; keys are exact). */
  public static String s3(String bucket, String prefix) {
    return "s3/" + lower(bucket) + "/" + (prefix == null ? "" : prefix);
  }

  /**
   * A directory on the worker: {@code /a//b/./c/} and {@code /a/b/c} are one directory. Only the
   * text is folded (workflow code reads no file system); {@code ..} is resolved lexically.
   */
  public static String directory(String path) {
    String p = strip(path);
    boolean absolute = p.startsWith("/");
    List<String> parts = new ArrayList<>();
    for (String s : p.split("/+")) {
      if (s.isEmpty() || s.equals(".")) continue;
      if (s.equals("..") && !parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
        parts.remove(parts.size() - 1);
      } else {
        parts.add(s);
      }
    }
    return "dir/" + (absolute ? "/" : "") + String.join("/", parts);
  }

  /** The lock workflow's id for {@code target}. */
  public static String lockId(String target) {
    if (target.length() <= MAX_TARGET) return PREFIX + target;
    return PREFIX + target.substring(0, MAX_TARGET - 17) + "~" + String.format("%016x", fnv(target));
  }

  /** The target a lock id names (what a refusal shows); hashed tails stay hashed. */
  public static String targetOf(String lockId) {
    return lockId.startsWith(PREFIX) ? lockId.substring(PREFIX.length()) : lockId;
  }

  private static String strip(String s) {
    return s == null ? "" : s.strip();
  }

  private static String lower(String s) {
    return strip(s).toLowerCase(Locale.ROOT);
  }

  /** FNV-1a: stable across JVMs and releases. */
  private static long fnv(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
