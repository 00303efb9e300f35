package dev.dbops.starter;

import dev.dbops.workflows.signing.SshPublicKey;
import dev.dbops.workflows.signing.SshSignature;
import dev.dbops.workflows.signing.SshWire;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * An SSH private key in the OpenSSH format ({@code -----BEGIN OPENSSH PRIVATE KEY-----}, {@code
 * openssh-key-v1}, as {@code ssh-keygen} writes), unencrypted, Ed25519 or RSA; signs as {@code
 * ssh-keygen -Y sign} does (RSA with rsa-sha2-512). An encrypted key is refused with the way round
 * it (ssh-agent). {@link #generateEd25519} writes one, for dev mode's demo approver.
 */
final class SshKeyFile {
  static final String BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
  static final String END = "-----END OPENSSH PRIVATE KEY-----";
  private static final byte[] MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

  private final SshPublicKey publicKey;
  private final PrivateKey privateKey;

  private SshKeyFile(SshPublicKey publicKey, PrivateKey privateKey) {
    this.publicKey = publicKey;
    this.privateKey = privateKey;
  }

  SshPublicKey publicKey() {
    return publicKey;
  }

  /** Reads the key; {@code flag} names the option in errors. */
  static SshKeyFile parse(String text, String flag) {
    String t = text.strip();
    if (!t.startsWith(BEGIN) || !t.endsWith(END)) {
      throw CliException.invalid(
          flag
              + ": not an OpenSSH private key ("
              + BEGIN
              + "); give the private key file, "
              + "or its .pub when the key is in ssh-agent");
    }
    try {
      byte[] blob =
          Base64.getMimeDecoder().decode(t.substring(BEGIN.length(), t.length() - END.length()));
      SshWire.Reader r = new SshWire.Reader(blob);
      if (!Arrays.equals(r.bytes(MAGIC.length, "magic"), MAGIC))
        throw CliException.invalid(flag + ": not openssh-key-v1");
      String cipher = r.text();
      r.text(); // kdf name
      r.string(); // kdf options
      if (!"none".equals(cipher)) {
        throw CliException.invalid(
            flag
                + ": the key is encrypted ("
                + cipher
                + "); add it to ssh-agent"
                + " (ssh-add FILE) and give its .pub file to --key");
      }
      if (r.uint32() != 1) throw CliException.invalid(flag + ": the file holds more than one key");
      SshPublicKey pub = SshPublicKey.fromBlob(r.string());
      SshWire.Reader p = new SshWire.Reader(r.string());
      if (p.uint32() != p.uint32())
        throw CliException.invalid(flag + ": the key's check numbers differ (damaged)");
      String type = p.text();
      PrivateKey key;
      if (SshPublicKey.ED25519.equals(type)) {
        p.string(); // public
        byte[] secret = p.string(); // seed || public
        key =
            KeyFactory.getInstance("Ed25519")
                .generatePrivate(
                    new EdECPrivateKeySpec(NamedParameterSpec.ED25519, Arrays.copyOf(secret, 32)));
      } else if (SshPublicKey.RSA.equals(type)) {
        BigInteger n = p.mpint();
        BigInteger e = p.mpint();
        BigInteger d = p.mpint();
        BigInteger iqmp = p.mpint();
        BigInteger prime1 = p.mpint();
        BigInteger prime2 = p.mpint();
        key =
            KeyFactory.getInstance("RSA")
                .generatePrivate(
                    new RSAPrivateCrtKeySpec(
                        n,
                        e,
                        d,
                        prime1,
                        prime2,
                        d.mod(prime1.subtract(BigInteger.ONE)),
                        d.mod(prime2.subtract(BigInteger.ONE)),
                        iqmp));
      } else {
        throw CliException.invalid(
            flag + ": key type " + type + " is not supported (Ed25519, RSA)");
      }
      return new SshKeyFile(pub, key);
    } catch (GeneralSecurityException | RuntimeException e) {
      if (e instanceof CliException c) throw c;
      throw CliException.invalid(
          flag + ": the OpenSSH private key does not read: " + e.getMessage());
    }
  }

  /** An SSHSIG signature of {@code message} in {@code namespace}, armored. */
  String sign(String namespace, byte[] message) {
    try {
      boolean ed = SshPublicKey.ED25519.equals(publicKey.type());
      Signature s = Signature.getInstance(ed ? "Ed25519" : "SHA512withRSA");
      s.initSign(privateKey);
      s.update(SshSignature.signedData(namespace, message));
      return SshSignature.of(publicKey, namespace, ed ? "ssh-ed25519" : "rsa-sha2-512", s.sign())
          .armored();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A new Ed25519 key pair as the text of its private key file; its public key in {@code pub[0]}.
   */
  static String generateEd25519(String comment, SshPublicKey[] pub) {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] x509 = pair.getPublic().getEncoded();
      byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
      byte[] pkcs8 = pair.getPrivate().getEncoded();
      byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
      byte[] blob = new SshWire.Writer().string(SshPublicKey.ED25519).string(raw).toBytes();
      pub[0] = SshPublicKey.fromBlob(blob);
      byte[] secret = Arrays.copyOf(seed, 64);
      System.arraycopy(raw, 0, secret, 32, 32);
      int check = new SecureRandom().nextInt();
      SshWire.Writer priv =
          new SshWire.Writer()
              .uint32(check)
              .uint32(check)
              .string(SshPublicKey.ED25519)
              .string(raw)
              .string(secret)
              .string(comment);
      byte[] unpadded = priv.toBytes();
      for (int i = 1; (unpadded.length + i - 1) % 8 != 0; i++) priv.raw(new byte[] {(byte) i});
      byte[] file =
          new SshWire.Writer()
              .raw(MAGIC)
              .string("none")
              .string("none")
              .string(new byte[0])
              .uint32(1)
              .string(blob)
              .string(priv.toBytes())
              .toBytes();
      String b64 = Base64.getEncoder().encodeToString(file);
      StringBuilder sb = new StringBuilder(BEGIN).append('\n');
      for (int i = 0; i < b64.length(); i += 70)
        sb.append(b64, i, Math.min(b64.length(), i + 70)).append('\n');
      return sb.append(END).append('\n').toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
