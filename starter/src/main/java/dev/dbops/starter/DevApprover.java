package dev.dbops.starter;

import dev.dbops.workflows.signing.SshPublicKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Dev mode's demo approver: a fresh Ed25519 key pair for {@link #NAME} in {@code .dbops/} and an
 * allowed-signers file naming it, which the dev worker checks approvals against, so signed
 * approvals ({@code --key}) can be tried as production would run them.
 */
record DevApprover(Path privateKey, Path publicKey, Path allowedSigners, SshPublicKey key) {
  static final String NAME = "alice";

  /**
   * Writes a new key pair (private key mode 0600) and the allowed-signers file into {@code dir}.
   */
  static DevApprover create(Path dir) {
    try {
      Files.createDirectories(dir);
      Path priv = dir.resolve("approver-" + NAME);
      Path pub = dir.resolve("approver-" + NAME + ".pub");
      Path signers = dir.resolve("allowed-signers");
      SshPublicKey[] key = new SshPublicKey[1];
      String text = SshKeyFile.generateEd25519(NAME + "@dbops-dev", key);
      Files.deleteIfExists(priv);
      try {
        Files.createFile(
            priv,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(priv);
      }
      Files.writeString(priv, text);
      Files.writeString(pub, key[0].text() + " " + NAME + "@dbops-dev\n");
      Files.writeString(
          signers,
          "# dbops dev: who may approve, and with which key (git's allowedSignersFile format)\n"
              + NAME
              + " namespaces=\"dbops-approval\" "
              + key[0].text()
              + " "
              + NAME
              + "@dbops-dev\n");
      return new DevApprover(priv, pub, signers, key[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
