package dev.dbops.workflows.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * An SSH public key as its wire blob ({@code string type, …}), the form both the allowed-signers
 * file ({@code ssh-ed25519 AAAA…}) and an SSHSIG signature carry. Ed25519 and RSA.
 */
public final class SshPublicKey {
  public static final String ED25519 = "ssh-ed25519";
  public static final String RSA = "ssh-rsa";

  /** DER prefix of an X.509 SubjectPublicKeyInfo holding a raw 32-byte Ed25519 key. */
  private static final byte[] ED25519_X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private final String type;
  private final byte[] blob;
  private final PublicKey key;

  private SshPublicKey(String type, byte[] blob, PublicKey key) {
    this.type = type;
    this.blob = blob;
    this.key = key;
  }

  /**
   * From its wire blob; an unsupported type or a malformed blob throws {@link
   * SignatureFormatException}.
   */
  public static SshPublicKey fromBlob(byte[] blob) {
    SshWire.Reader r = new SshWire.Reader(blob);
    String type = r.text();
    try {
      PublicKey key;
      if (ED25519.equals(type)) {
        byte[] raw = r.string();
        if (raw.length != 32)
          throw new SignatureFormatException("Ed25519 key of " + raw.length + " bytes");
        byte[] der = Arrays.copyOf(ED25519_X509_PREFIX, ED25519_X509_PREFIX.length + 32);
        System.arraycopy(raw, 0, der, ED25519_X509_PREFIX.length, 32);
        key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
      } else if (RSA.equals(type)) {
        var e = r.mpint();
        var n = r.mpint();
        if (n.bitLength() < 2048) {
          throw new SignatureFormatException(
              "RSA key of " + n.bitLength() + " bits; at least 2048 are needed");
        }
        key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
      } else {
        throw new SignatureFormatException(
            "key type '" + type + "' is not supported (ssh-ed25519, ssh-rsa)");
      }
      if (!r.atEnd())
        throw new SignatureFormatException("trailing bytes after the " + type + " key");
      return new SshPublicKey(type, blob.clone(), key);
    } catch (GeneralSecurityException e) {
      throw new SignatureFormatException(type + " key does not decode: " + e.getMessage());
    }
  }

  /** From the text form {@code ssh-ed25519 AAAA… [comment]} (an {@code .pub} file's line). */
  public static SshPublicKey parse(String line) {
    String[] parts = line.strip().split("\\s+");
    if (parts.length < 2)
      throw new SignatureFormatException("not a public key line 'type base64 [comment]'");
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new SignatureFormatException("public key is not base64");
    }
    SshPublicKey k = fromBlob(blob);
    if (!k.type.equals(parts[0])) {
      throw new SignatureFormatException("key says '" + parts[0] + "' but its blob is " + k.type);
    }
    return k;
  }

  public String type() {
    return type;
  }

  public byte[] blob() {
    return blob.clone();
  }

  public PublicKey javaKey() {
    return key;
  }

  /** {@code type base64}, as in an {@code .pub} file or an allowed-signers line. */
  public String text() {
    return type + " " + Base64.getEncoder().encodeToString(blob);
  }

  /** {@code SHA256:…}, as {@code ssh-keygen -l} prints it. */
  public String fingerprint() {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SshPublicKey k && Arrays.equals(blob, k.blob);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(blob);
  }

  @Override
  public String toString() {
    return type + " " + fingerprint();
  }
}
