package dev.dbops.starter;

import dev.dbops.workflows.signing.SignatureFormatException;
import dev.dbops.workflows.signing.SignedDecision;
import dev.dbops.workflows.signing.SshPublicKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --key FILE}: signs an approve / reject / decide / abort with the approver's SSH key, as
 * {@code ssh-keygen -Y sign -n dbops-approval} would, so a worker with an allowed-signers file can
 * check the name given with {@code --by}. A private key file (OpenSSH, unencrypted) signs here; a
 * public key file ({@code .pub}) signs through ssh-agent ({@code SSH_AUTH_SOCK}).
 */
final class SigningOptions {
  @Option(
      names = "--key",
      paramLabel = "FILE",
      description =
          "sign with this SSH key (Ed25519 or RSA): its private key file, or its .pub when the key is in"
              + " ssh-agent; required when the worker checks approvers")
  Path key;

  private SshKeyFile privateKey;
  private SshPublicKey agentKey;
  private Path agentSocket;

  /**
   * Reads and checks the key (exit 2 naming --key), before anything is sent; a no-op without --key.
   */
  void load() {
    if (key == null || privateKey != null || agentKey != null) return;
    String text;
    try {
      text = Files.readString(key);
    } catch (IOException e) {
      throw CliException.invalid("--key: cannot read " + key + ": " + e.getMessage());
    }
    if (!text.strip().startsWith("ssh-")) {
      privateKey = SshKeyFile.parse(text, "--key");
      return;
    }
    try {
      agentKey = SshPublicKey.parse(text.strip().lines().findFirst().orElse(""));
    } catch (SignatureFormatException e) {
      throw CliException.invalid(
          "--key: " + key + " is not a usable public key: " + e.getMessage());
    }
    String sock = System.getenv("SSH_AUTH_SOCK");
    if (sock == null || sock.isBlank()) {
      throw CliException.invalid(
          "--key: "
              + key
              + " is a public key, which signs through ssh-agent, but"
              + " SSH_AUTH_SOCK is not set; start an agent and ssh-add the key, or give the private key file");
    }
    agentSocket = Path.of(sock);
  }

  /** The armored signature of {@code d}, or null without {@code --key}. */
  String sign(SignedDecision d) {
    if (key == null) return null;
    load();
    return privateKey != null
        ? privateKey.sign(SignedDecision.NAMESPACE, d.message())
        : SshAgent.sign(agentSocket, agentKey, SignedDecision.NAMESPACE, d.message());
  }
}
