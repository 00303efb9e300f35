package dev.dbops.workflows.restore;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one rule that turns an S3 key into a path under the download directory. Pure (no file
 * system), so the workflow applies it at planning, before any restore is paid for, and the
 * downloader applies it again before it writes.
 *
 * <p>A key maps onto its path only when it is already canonical: segments separated by single
 * {@code /}, none empty, {@code .} or {@code ..}, no leading {@code /}, no NUL or other control
 * character, none longer than 255 UTF-8 bytes. Anything else is refused, never normalised, so two
 * keys can only share a path by being equal — or, on a file system that ignores case, by differing
 * in case or Unicode normalisation only. A trailing {@code /} marks a directory.
 *
 * <p>Two keys claiming one path (one's file and the other's, one's file and the other's directory,
 * one's file and the other's {@link #PART_SUFFIX partial download}) both fail: which one would win
 * depends on timing, so neither is written and nothing is overwritten.
 */
public final class DeliveryPaths {
  private DeliveryPaths() {}

  /** The partial download of {@code <path>} is {@code <path>.part}, next to it. */
  public static final String PART_SUFFIX = ".part";

  /** The longest file name Linux and macOS file systems accept (NAME_MAX). */
  static final int MAX_SEGMENT_BYTES = 255;

  /** Why {@code key} cannot be a path under the download directory; null when it can. */
  public static String refusal(String key) {
    if (key == null || key.isEmpty()) return "an empty key has no file name";
    if (key.startsWith("/")) return "an absolute path (leading '/')";
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == 0) return "contains a NUL character";
      if (Character.isISOControl(c))
        return "contains a control character (U+" + String.format("%04X", (int) c) + ")";
    }
    String body = isDirectoryMarker(key) ? key.substring(0, key.length() - 1) : key;
    for (String segment : body.split("/", -1)) {
      if (segment.isEmpty())
        return "an empty path segment ('//' or a trailing '//'); not normalised";
      if (segment.equals(".") || segment.equals(".."))
        return "a '" + segment + "' segment; not normalised";
      if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
        return "a path segment longer than " + MAX_SEGMENT_BYTES + " bytes";
      }
    }
    return null;
  }

  /** A key ending in {@code /}: S3's way of showing a folder; delivered as a directory. */
  public static boolean isDirectoryMarker(String key) {
    return key.endsWith("/");
  }

  /** The path segments of a key {@link #refusal} accepts. */
  public static List<String> segments(String key) {
    String body = isDirectoryMarker(key) ? key.substring(0, key.length() - 1) : key;
    return Arrays.asList(body.split("/", -1));
  }

  /**
   * The directory (relative, {@code /}-separated) a key {@link #refusal} accepts is written in: its
   * parent, or itself for a directory marker; null for a file at the top.
   */
  public static String directoryOf(String key) {
    if (refusal(key) != null) return null;
    List<String> segs = segments(key);
    int n = isDirectoryMarker(key) ? segs.size() : segs.size() - 1;
    return n == 0 ? null : String.join("/", segs.subList(0, n));
  }

  /**
   * Every key of {@code keys} that cannot get a path of its own, with the reason: refused by {@link
   * #refusal}, or claiming a path another key claims. {@code foldCase}: the file system treats
   * names differing in case (and Unicode normalisation) as one. In the order of {@code keys}.
   */
  public static Map<String, String> undeliverable(List<String> keys, boolean foldCase) {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, List<Claim>> claims = new LinkedHashMap<>();
    for (String key : keys) {
      String why = refusal(key);
      if (why != null) {
        out.put(key, why);
        continue;
      }
      List<String> segs = segments(key);
      StringBuilder path = new StringBuilder();
      for (int i = 0; i < segs.size(); i++) {
        if (i > 0) path.append('/');
        path.append(segs.get(i));
        boolean last = i == segs.size() - 1;
        Kind kind = last && !isDirectoryMarker(key) ? Kind.FILE : Kind.DIRECTORY;
        claim(claims, fold(path.toString(), foldCase), new Claim(key, kind, path.toString()));
        if (kind == Kind.FILE) {
          String part = path + PART_SUFFIX;
          claim(claims, fold(part, foldCase), new Claim(key, Kind.PART, part));
        }
      }
    }
    Map<String, String> collided = new LinkedHashMap<>();
    for (List<Claim> c : claims.values()) {
      if (c.stream().allMatch(x -> x.kind == Kind.DIRECTORY)) continue;
      List<String> owners = c.stream().map(Claim::key).distinct().toList();
      if (owners.size() < 2) continue;
      for (String owner : owners) {
        List<String> others = new ArrayList<>(owners);
        others.remove(owner);
        collided.putIfAbsent(
            owner,
            "its path '"
                + c.get(0).path()
                + "' is also claimed by key(s) "
                + quoted(others)
                + (foldCase ? " (this file system ignores case)" : "")
                + "; neither is written, nothing is overwritten");
      }
    }
    for (String key : keys) {
      if (collided.containsKey(key)) out.putIfAbsent(key, collided.get(key));
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String key : keys) {
      if (out.containsKey(key)) ordered.put(key, out.get(key));
    }
    return ordered;
  }

  private enum Kind {
    FILE,
    DIRECTORY,
    PART
  }

  private record Claim(String key, Kind kind, String path) {}

  private static void claim(Map<String, List<Claim>> claims, String path, Claim c) {
    claims.computeIfAbsent(path, p -> new ArrayList<>()).add(c);
  }

  private static String fold(String path, boolean foldCase) {
    if (!foldCase) return path;
    return Normalizer.normalize(path, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
  }

  private static String quoted(List<String> keys) {
    List<String> shown = keys.size() <= 3 ? keys : keys.subList(0, 3);
    StringBuilder b = new StringBuilder();
    for (String k : shown)
      b.append(b.length() == 0 ? "" : ", ").append('\'').append(k).append('\'');
    if (keys.size() > shown.size())
      b.append(", … (").append(keys.size() - shown.size()).append(" more)");
    return b.toString();
  }
}
