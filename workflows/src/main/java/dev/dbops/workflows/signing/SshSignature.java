package dev.dbops.workflows.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * An SSHSIG signature, the format {@code ssh-keygen -Y sign} writes and git uses for commits:
 *
 * <pre>
 * blob        = "SSHSIG" uint32(1) string(public key) string(namespace) string(reserved)
 *               string(hash algorithm) string(signature)
 * signed data = "SSHSIG" string(namespace) string(reserved) string(hash algorithm) string(H(message))
 * signature   = string(algorithm) string(bytes)     ssh-ed25519 | rsa-sha2-512 | rsa-sha2-256
 * </pre>
 *
 * armored between {@code -----BEGIN SSH SIGNATURE-----} and {@code -----END SSH SIGNATURE-----}.
 * Verification is pure computation with the JDK's providers.
 */
public final class SshSignature {
  public static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
  public static final String END = "-----END SSH SIGNATURE-----";
  static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  public static final String SHA512 = "sha512";

  /**
   * SSH signature algorithm → JCA algorithm; ssh-rsa (SHA-1) is refused as OpenSSH does for SSHSIG.
   */
  private static final Map<String, String> ALGORITHMS =
      Map.of(
          "ssh-ed25519",
          "Ed25519",
          "rsa-sha2-512",
          "SHA512withRSA",
          "rsa-sha2-256",
          "SHA256withRSA");

  private static final Map<String, String> HASHES = Map.of(SHA512, "SHA-512", "sha256", "SHA-256");

  private final SshPublicKey key;
  private final String namespace;
  private final String hashAlgorithm;
  private final String signatureAlgorithm;
  private final byte[] signature;

  private SshSignature(
      SshPublicKey key,
      String namespace,
      String hashAlgorithm,
      String signatureAlgorithm,
      byte[] signature) {
    this.key = key;
    this.namespace = namespace;
    this.hashAlgorithm = hashAlgorithm;
    this.signatureAlgorithm = signatureAlgorithm;
    this.signature = signature;
  }

  /** A signature made by {@code key} with {@code algorithm} over {@link #signedData}. */
  public static SshSignature of(
      SshPublicKey key, String namespace, String algorithm, byte[] signature) {
    check(key, algorithm);
    return new SshSignature(key, namespace, SHA512, algorithm, signature.clone());
  }

  /** From an SSH signature blob ({@code string algorithm, string bytes}), as ssh-agent answers. */
  public static SshSignature ofWire(SshPublicKey key, String namespace, byte[] wire) {
    SshWire.Reader s = new SshWire.Reader(wire);
    String algorithm = s.text();
    byte[] bytes = s.string();
    if (!s.atEnd()) throw new SignatureFormatException("trailing bytes in the signature");
    return of(key, namespace, algorithm, bytes);
  }

  /** From the armored text; anything malformed throws {@link SignatureFormatException}. */
  public static SshSignature parse(String armored) {
    String t = armored.strip();
    if (!t.startsWith(BEGIN) || !t.endsWith(END)) {
      throw new SignatureFormatException("not an SSH signature (" + BEGIN + " … " + END + ")");
    }
    byte[] blob;
    try {
      blob = Base64.getMimeDecoder().decode(t.substring(BEGIN.length(), t.length() - END.length()));
    } catch (IllegalArgumentException e) {
      throw new SignatureFormatException("SSH signature is not base64");
    }
    SshWire.Reader r = new SshWire.Reader(blob);
    if (!Arrays.equals(r.bytes(MAGIC.length, "magic"), MAGIC)) {
      throw new SignatureFormatException("SSH signature lacks the SSHSIG preamble");
    }
    int version = r.uint32();
    if (version != VERSION)
      throw new SignatureFormatException("SSHSIG version " + version + " is not supported");
    SshPublicKey key = SshPublicKey.fromBlob(r.string());
    String namespace = r.text();
    r.string(); // reserved
    String hash = r.text();
    if (!HASHES.containsKey(hash))
      throw new SignatureFormatException("hash algorithm '" + hash + "' is not supported");
    SshWire.Reader s = new SshWire.Reader(r.string());
    String algorithm = s.text();
    byte[] bytes = s.string();
    if (!s.atEnd() || !r.atEnd())
      throw new SignatureFormatException("trailing bytes in the SSH signature");
    check(key, algorithm);
    return new SshSignature(key, namespace, hash, algorithm, bytes);
  }

  private static void check(SshPublicKey key, String algorithm) {
    String jca = ALGORITHMS.get(algorithm);
    if (jca == null)
      throw new SignatureFormatException(
          "signature algorithm '" + algorithm + "' is not supported");
    boolean matches = key.type().equals(SshPublicKey.ED25519) == algorithm.equals("ssh-ed25519");
    if (!matches)
      throw new SignatureFormatException(algorithm + " signature by a " + key.type() + " key");
  }

  /** The bytes a signer signs for {@code message} in {@code namespace} (hash sha512). */
  public static byte[] signedData(String namespace, byte[] message) {
    return signedData(namespace, SHA512, message);
  }

  private static byte[] signedData(String namespace, String hash, byte[] message) {
    try {
      byte[] h = MessageDigest.getInstance(HASHES.get(hash)).digest(message);
      return new SshWire.Writer()
          .raw(MAGIC)
          .string(namespace)
          .string(new byte[0])
          .string(hash)
          .string(h)
          .toBytes();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether this signature is {@link #key()}'s over {@code message} in this signature's namespace.
   */
  public boolean verifies(byte[] message) {
    try {
      Signature v = Signature.getInstance(ALGORITHMS.get(signatureAlgorithm));
      v.initVerify(key.javaKey());
      v.update(signedData(namespace, hashAlgorithm, message));
      return v.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  public SshPublicKey key() {
    return key;
  }

  public String namespace() {
    return namespace;
  }

  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** The armored text, wrapped at 70 columns like ssh-keygen's. */
  public String armored() {
    byte[] sig = new SshWire.Writer().string(signatureAlgorithm).string(signature).toBytes();
    byte[] blob =
        new SshWire.Writer()
            .raw(MAGIC)
            .uint32(VERSION)
            .string(key.blob())
            .string(namespace)
            .string(new byte[0])
            .string(hashAlgorithm)
            .string(sig)
            .toBytes();
    String b64 = Base64.getEncoder().encodeToString(blob);
    StringBuilder sb = new StringBuilder(BEGIN).append('\n');
    for (int i = 0; i < b64.length(); i += 70)
      sb.append(b64, i, Math.min(b64.length(), i + 70)).append('\n');
    return sb.append(END).append('\n').toString();
  }
}
