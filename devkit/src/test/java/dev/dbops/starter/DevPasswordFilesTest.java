package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database passwords dev mode hands out live in owner-only files under its state directory. */
@Tag("mariadb")
class DevPasswordFilesTest {

  @TempDir Path stateDir;

  @Test
  void givenWorldReadableFileInTheWay_whenWritingADemoPassword_thenTheFileIsOwnerOnly()
      throws Exception {
    Path file = stateDir.resolve("demo-db-password");
    Files.writeString(file, "stale\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    Path written = UpgradeDemo.writePasswordFile(file, "fresh");

    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
    assertEquals("fresh\n", Files.readString(written));
  }

  @Test
  void givenBinlogDemo_whenStarted_thenItsPasswordsAreRandomAndTheirFilesOwnerOnly()
      throws Exception {
    try (BinlogDemo.Pair demo = BinlogDemo.start(stateDir)) {
      for (Path f : List.of(demo.adminPasswordFile(), demo.replPasswordFile())) {
        assertEquals(
            "rw-------",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
            f.toString());
      }
      String admin = Files.readString(demo.adminPasswordFile()).strip();
      assertEquals(demo.pair().adminPassword(), admin);
      assertNotEquals("admin-secret", admin, "not the fixed default");
      assertNotEquals("repl-secret", demo.pair().replicationPassword(), "not the fixed default");
      assertNotEquals(admin, demo.pair().replicationPassword());
      assertThrows(
          SQLException.class,
          () ->
              DriverManager.getConnection(
                      demo.pair().source().jdbcUrl(""), demo.pair().adminUser(), "admin-secret")
                  .close());
      DriverManager.getConnection(demo.pair().source().jdbcUrl(""), demo.pair().adminUser(), admin)
          .close();
    }
  }
}
