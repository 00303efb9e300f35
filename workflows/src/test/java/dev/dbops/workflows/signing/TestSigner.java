package dev.dbops.workflows.signing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;

/**
 * An Ed25519 key made in the test, signing as the CLI does (SSHSIG over {@link
 * SignedDecision#message()}).
 */
public final class TestSigner {
  private final KeyPair pair;
  private final SshPublicKey publicKey;

  public TestSigner() {
    try {
      pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] x509 = pair.getPublic().getEncoded();
      byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
      publicKey =
          SshPublicKey.fromBlob(
              new SshWire.Writer().string(SshPublicKey.ED25519).string(raw).toBytes());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public SshPublicKey publicKey() {
    return publicKey;
  }

  /** An allowed-signers line letting this key sign as {@code principal}. */
  public String allowedSignersLine(String principal) {
    return principal + " " + publicKey.text() + "\n";
  }

  public String sign(SignedDecision d) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(pair.getPrivate());
      s.update(SshSignature.signedData(SignedDecision.NAMESPACE, d.message()));
      return SshSignature.of(publicKey, SignedDecision.NAMESPACE, "ssh-ed25519", s.sign())
          .armored();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
