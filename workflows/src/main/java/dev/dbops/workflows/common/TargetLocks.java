package dev.dbops.workflows.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Names of the things a run acts on ("targets"), spelled one way whatever the request wrote, and
 * the id of the lock workflow that lets at most one open run act on each (see {@link
 * TargetLockInterceptor}). Two spellings of one target must give one name, or two runs would get
 * past each other; two different targets may share a name only on the safe side (a run refused for
 * a look-alike, never two runs let through).
 */
public final class TargetLocks {
  private TargetLocks() {}

  /** Every lock workflow's id starts with this. */
  public static final String PREFIX = "dbops-lock/";

  /** An RDS cluster: identifiers are case-insensitive. */
  public static String cluster(String clusterId) {
    return "cluster/" + lower(clusterId);
  }

  /** An RDS DB instance: identifiers are case-insensitive. */
  public static String instance(String instanceId) {
    return "instance/" + lower(instanceId);
  }

  /**
   * A MySQL server, from a host key that already folds its spellings (e.g. every loopback name).
   */
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

  /**
   * The lock workflow's id for {@code target}: a SHA-256 of it, because a workflow id is never
   * encrypted (the payload codec covers payloads only) and a target names buckets, hosts and
   * records; the target itself is in the lock's input, which the codec does cover.
   */
  public static String lockId(String target) {
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    StringBuilder hex = new StringBuilder(PREFIX);
    for (int i = 0; i < 16; i++) hex.append(String.format("%02x", hash[i]));
    return hex.toString();
  }

  private static String strip(String s) {
    return s == null ? "" : s.strip();
  }

  private static String lower(String s) {
    return strip(s).toLowerCase(Locale.ROOT);
  }
}
