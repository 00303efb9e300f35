package dev.dbops.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.common.ApproverCheck;
import dev.dbops.workflows.signing.SignedDecision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DBOPS_ALLOWED_SIGNERS}: a file that cannot serve stops the worker at startup naming the
 * setting; one that breaks later refuses every signature; without one, names are unverified.
 */
class AllowedSignersFileTest {
  static final String KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIILMF9fRgqRqzPeNTHq7K285IPMnOpKYOyxpIPCz0OLS";
  static final SignedDecision D =
      new SignedDecision("w", "r", "s", "approve", "alice", "ok", "2026-12-07T14:00:00Z");

  static DbopsConfig config(Path file) {
    return DbopsConfig.from(Map.of(DbopsConfig.DBOPS_ALLOWED_SIGNERS, file.toString()));
  }

  @Test
  void givenMissingEmptyOrMalformedFile_whenConfigRead_thenRefusedNamingTheSetting(
      @TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "# nobody yet\n");
    Path bad = Files.writeString(dir.resolve("bad"), "alice " + KEY + "\nbob ssh-ed25519 !!\n");
    for (Path p : new Path[] {dir.resolve("missing"), empty, bad}) {
      var e = assertThrows(DbopsConfig.InvalidConfigException.class, () -> config(p));
      assertTrue(
          e.getMessage().startsWith(DbopsConfig.DBOPS_ALLOWED_SIGNERS + ": "), e.getMessage());
    }
    assertTrue(
        assertThrows(DbopsConfig.InvalidConfigException.class, () -> config(bad))
            .getMessage()
            .contains("line 2"));
  }

  @Test
  void givenFileThatBreaksAfterStartup_whenChecking_thenEverySignatureIsRefused(@TempDir Path dir)
      throws Exception {
    Path f = Files.writeString(dir.resolve("allowed"), "alice " + KEY + "\n");
    DbopsConfig c = config(f);
    assertTrue(c.describe().contains("approvers=signed(" + f + ")"), c.describe());
    AllowedSignersFile v =
        new AllowedSignersFile(
            c.allowedSigners(), Clock.fixed(Instant.parse("2026-12-07T14:00:00Z"), ZoneOffset.UTC));
    assertTrue(v.check(D, null).detail().startsWith("unsigned"));
    Files.delete(f);
    ApproverCheck broken = v.check(D, null);
    assertEquals(ApproverCheck.REFUSED, broken.outcome());
    assertTrue(broken.detail().contains("cannot read its allowed-signers file"), broken.detail());
  }

  @Test
  void givenNoFile_whenChecking_thenUnverifiedAndSaidSo() {
    DbopsConfig c = DbopsConfig.from(Map.of());
    assertTrue(c.describe().contains("approvers=unverified"), c.describe());
    var v = AllowedSignersFile.of(c);
    assertEquals(ApproverCheck.UNVERIFIED, v.check(D, null).outcome());
    assertTrue(v.describe().startsWith("approvals are unverified"), v.describe());
  }
}
