package dev.dbops.activities.common;

import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.restore.DirectoryFacts;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A directory a user named, and the only way the worker writes files: every path below it is walked
 * one component at a time without following links ({@code NOFOLLOW_LINKS}), missing directories are
 * made one at a time, and a symbolic link or a non-directory on the way — or a link or non-regular
 * file at the end — is refused with a non-retryable {@code PathRefused}. Files are opened with
 * {@code NOFOLLOW_LINKS} too, and a finished file gets its name by a hard link (atomic, and never
 * replaces what is there), so nothing is written outside the directory and nothing that is not ours
 * is overwritten.
 *
 * <p>The directory itself must not be a symbolic link (name its target instead); the directories
 * above it are the user's choice and are followed.
 */
public final class ConfinedDirectory {
  /** How much space the user may still write under an existing directory; a seam for tests. */
  @FunctionalInterface
  public interface FreeSpace {
    long usableBytes(Path existingDirectory) throws IOException;

    FreeSpace FILE_STORE = dir -> Files.getFileStore(dir).getUsableSpace();
  }

  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  /** How many entries the case probe looks at before it gives up finding a name with a letter. */
  private static final int CASE_PROBE_ENTRIES = 64;

  private final Path root;

  private ConfinedDirectory(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  // ------------------------------------------------------------------------------ validation

  /**
   * The read-only check made at validation, before anything is paid for: {@code named} is absolute,
   * not a link, a writable directory or creatable under a writable one, and its file system has
   * {@code bytesNeeded} free. Failures are non-retryable INVALID_INPUT naming {@code field}.
   */
  public static DirectoryFacts inspect(
      String field,
      String named,
      long bytesNeeded,
      int objects,
      List<String> subdirectories,
      FreeSpace space) {
    if (named == null || named.isBlank()) throw invalid(field + ": required for DOWNLOAD");
    Path dir = Path.of(named);
    if (!dir.isAbsolute()) {
      throw invalid(
          field + ": '" + named + "' is relative; give an absolute path on the worker's host");
    }
    dir = dir.normalize();
    BasicFileAttributes a = attributes(dir);
    Path existing = dir;
    if (a != null) {
      refuseAsRoot(field, dir, a, ErrorTypes.INVALID_INPUT);
    } else {
      existing = dir.getParent();
      while (existing != null && !Files.exists(existing)) existing = existing.getParent();
      if (existing == null || !Files.isDirectory(existing)) {
        throw invalid(
            field
                + ": "
                + dir
                + " does not exist and cannot be created: "
                + (existing == null ? "no parent exists" : existing + " is not a directory"));
      }
      if (!Files.isWritable(existing)) {
        throw invalid(
            field
                + ": "
                + dir
                + " does not exist and cannot be created: "
                + existing
                + " is not writable by the worker");
      }
    }
    long usable;
    try {
      usable = space.usableBytes(existing);
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "reading the free space of " + existing + " failed: " + e, ErrorTypes.DELIVERY_FAILED, e);
    }
    if (usable < bytesNeeded) {
      throw invalid(
          field
              + ": "
              + objects
              + " object(s) need "
              + bytesNeeded
              + " bytes but only "
              + usable
              + " bytes are free at "
              + existing);
    }
    Map<String, String> refused = new LinkedHashMap<>();
    if (a != null && subdirectories != null) {
      for (String sub : subdirectories) {
        String why = unusable(dir, sub);
        if (why != null) refused.put(sub, why);
      }
    }
    return new DirectoryFacts(dir.toString(), a != null, ignoresCase(existing), usable, refused);
  }

  /**
   * Why nothing can be written in {@code relative} below {@code root} (a link or a non-directory on
   * the way), looked at without writing; null when it is fine or does not exist yet.
   */
  static String unusable(Path root, String relative) {
    Path p = root;
    for (String s : relative.split("/")) {
      if (!isPlainName(s)) return "'" + relative + "' is not a plain relative path";
      Path next = p.resolve(s);
      p = next;
      BasicFileAttributes a = attributes(p);
      if (a == null) return null;
      if (a.isSymbolicLink()) return p + " is a symbolic link; nothing is written through it";
      if (!a.isDirectory()) return p + " is not a directory; nothing is written below it";
    }
    return null;
  }

  /**
   * Whether names differing only in case are one file there, found without writing: look up a
   * case-swapped name of an entry (or of the directory itself) and see if it is the same file.
   */
  public static boolean ignoresCase(Path existing) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(existing)) {
      int seen = 0;
      for (Path entry : entries) {
        if (++seen > CASE_PROBE_ENTRIES) break;
        Boolean answer = sameUnderOtherCase(entry);
        if (answer != null) return answer;
      }
    } catch (IOException e) {
      // unreadable: fall back to the directory's own name
    }
    for (Path p = existing; p != null && p.getFileName() != null; p = p.getParent()) {
      Boolean answer = sameUnderOtherCase(p);
      if (answer != null) return answer;
    }
    return false;
  }

  private static Boolean sameUnderOtherCase(Path p) {
    String name = p.getFileName().toString();
    String swapped = swapCase(name);
    if (swapped.equals(name)) return null;
    Path other = p.resolveSibling(swapped);
    try {
      return Files.exists(other, NOFOLLOW) && Files.isSameFile(p, other);
    } catch (IOException e) {
      return null;
    }
  }

  private static String swapCase(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return b.toString();
  }

  // ---------------------------------------------------------------------------------- writes

  /**
   * The named directory, ready for writes: made (with its missing parents) when absent. A link, a
   * non-directory or an unwritable directory fails non-retryably with {@code PathRefused}, so a
   * delivery whose directory went bad fails instead of retrying forever.
   */
  public static ConfinedDirectory open(String field, String named) {
    if (named == null || named.isBlank()) throw invalid(field + ": required for DOWNLOAD");
    Path dir = Path.of(named);
    if (!dir.isAbsolute()) {
      throw invalid(
          field + ": '" + named + "' is relative; give an absolute path on the worker's host");
    }
    dir = dir.normalize();
    BasicFileAttributes a = attributes(dir);
    if (a == null) {
      try {
        Files.createDirectories(dir);
      } catch (FileAlreadyExistsException e) {
        // a link or a file appeared on the way: the check below names it
      } catch (IOException e) {
        throw ApplicationFailure.newNonRetryableFailureWithCause(
            field + ": creating " + dir + " failed: " + e, ErrorTypes.PATH_REFUSED, e);
      }
      a = attributes(dir);
      if (a == null) throw refused(field + ": " + dir + " could not be created");
    }
    refuseAsRoot(field, dir, a, ErrorTypes.PATH_REFUSED);
    return new ConfinedDirectory(dir);
  }

  private static void refuseAsRoot(String field, Path dir, BasicFileAttributes a, String type) {
    String problem = null;
    if (a.isSymbolicLink()) {
      problem = dir + " is a symbolic link; name the directory it points to instead";
    } else if (!a.isDirectory()) {
      problem =
          dir + " exists and is " + (a.isRegularFile() ? "a regular file" : "not a directory");
    } else if (!Files.isWritable(dir)) {
      problem = dir + " is not writable by the worker";
    }
    if (problem != null) {
      throw ApplicationFailure.newNonRetryableFailure(field + ": " + problem, type);
    }
  }

  /**
   * The path of {@code segments} below the directory, for a file: every directory on the way exists
   * (made here, one level at a time) and is a real directory, not a link; the file itself is absent
   * or a regular file, not a link.
   */
  public Path file(List<String> segments) {
    Path parent = directory(segments.subList(0, segments.size() - 1));
    Path file = parent.resolve(segments.get(segments.size() - 1));
    requireRegularOrAbsent(file);
    return file;
  }

  /**
   * The directory of {@code segments} below the root, made level by level, never through a link.
   */
  public Path directory(List<String> segments) {
    Path p = root;
    for (String s : segments) {
      if (!isPlainName(s)) throw refused("'" + s + "' is not a single file name under " + root);
      Path next = p.resolve(s);
      p = next;
      BasicFileAttributes a = attributes(p);
      if (a == null) {
        try {
          Files.createDirectory(p);
        } catch (FileAlreadyExistsException e) {
          // made concurrently (or a link planted): checked below
        } catch (IOException e) {
          throw localFailure("creating directory " + p, e);
        }
        a = attributes(p);
        if (a == null) throw refused(p + " could not be created");
      }
      if (a.isSymbolicLink()) {
        throw refused(p + " is a symbolic link; nothing is written through it");
      }
      if (!a.isDirectory()) {
        throw refused(p + " is not a directory; nothing is written below it");
      }
    }
    return p;
  }

  /** Refuses {@code file} when it is a link or anything but a regular file; absent is fine. */
  public void requireRegularOrAbsent(Path file) {
    requireInside(file);
    BasicFileAttributes a = attributes(file);
    if (a == null) return;
    if (a.isSymbolicLink())
      throw refused(file + " is a symbolic link; not written through, not replaced");
    if (!a.isRegularFile()) throw refused(file + " exists and is not a regular file; not replaced");
  }

  public boolean isRegularFile(Path file) {
    requireInside(file);
    return Files.isRegularFile(file, NOFOLLOW);
  }

  /** Writes {@code file} (appending or from empty), refusing to open it through a link. */
  public OutputStream newOutputStream(Path file, boolean append) throws IOException {
    requireRegularOrAbsent(file);
    OpenOption[] mode =
        append
            ? new OpenOption[] {
              LinkOption.NOFOLLOW_LINKS, StandardOpenOption.WRITE, StandardOpenOption.APPEND
            }
            : new OpenOption[] {
              LinkOption.NOFOLLOW_LINKS,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING
            };
    return Files.newOutputStream(file, mode);
  }

  public InputStream newInputStream(Path file) throws IOException {
    requireRegularOrAbsent(file);
    return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Gives {@code temp} the name {@code target} atomically, only if nothing has that name: a hard
   * link (which fails when the name exists) then removing {@code temp}; where hard links are not
   * supported, a move without REPLACE_EXISTING. False when {@code target} exists (it is left as it
   * was, and so is {@code temp}).
   */
  public boolean placeNew(Path temp, Path target) {
    requireRegularOrAbsent(temp);
    requireRegularOrAbsent(target);
    try {
      Files.createLink(target, temp);
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | IOException noLinks) {
      try {
        Files.move(temp, target);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (IOException e) {
        throw localFailure("renaming " + temp + " to " + target, e);
      }
    }
    delete(temp);
    return true;
  }

  public void delete(Path file) {
    requireInside(file);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw localFailure("deleting " + file, e);
    }
  }

  private void requireInside(Path file) {
    if (!file.normalize().equals(file) || !file.startsWith(root) || file.equals(root)) {
      throw refused(file + " is not below " + root);
    }
  }

  // ------------------------------------------------------------------------------- helpers

  /** One name: not empty, not {@code .} or {@code ..}, no separator, no NUL. */
  private static boolean isPlainName(String s) {
    return !s.isEmpty()
        && !s.equals(".")
        && !s.equals("..")
        && s.indexOf('/') < 0
        && s.indexOf('\0') < 0;
  }

  /** The attributes of {@code p} itself (a link is reported as a link); null when absent. */
  private static BasicFileAttributes attributes(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw localFailure("reading the attributes of " + p, e);
    }
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.INVALID_INPUT);
  }

  private static ApplicationFailure refused(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorTypes.PATH_REFUSED);
  }

  /** Disk trouble on the worker (full, I/O error): worth retrying once someone looks. */
  public static ApplicationFailure localFailure(String what, IOException e) {
    return ApplicationFailure.newFailureWithCause(
        what + " failed: " + e, ErrorTypes.DELIVERY_FAILED, e);
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
