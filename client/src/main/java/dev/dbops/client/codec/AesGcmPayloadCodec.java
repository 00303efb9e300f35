package dev.dbops.client.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dbops.client.DbopsConfig;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts every payload with AES-256-GCM, so workflow inputs, results, signals, queries and
 * activity arguments are unreadable in Temporal's history without the key.
 *
 * <p>An encrypted payload's data is a random 12-byte nonce followed by the ciphertext (with its
 * 16-byte tag) of the original payload serialized as protobuf, metadata and all; its metadata is
 * {@code encoding=binary/encrypted}, {@code encryption-cipher=AES/GCM/NoPadding} and {@code
 * encryption-key-id=<id>} (the id is also authenticated, as associated data). Decoding passes
 * payloads not marked encrypted through unchanged (histories written before encryption was turned
 * on still read) and refuses a key id it has no key for, naming it.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {
  public static final String ENCODING = "binary/encrypted";
  public static final String METADATA_ENCODING = "encoding";
  public static final String METADATA_CIPHER = "encryption-cipher";
  public static final String METADATA_KEY_ID = "encryption-key-id";
  static final String CIPHER = "AES/GCM/NoPadding";
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;

  private static final ByteString ENCODING_BYTES = ByteString.copyFromUtf8(ENCODING);
  private static final ByteString CIPHER_BYTES = ByteString.copyFromUtf8(CIPHER);

  private final PayloadKeys keys;
  private final SecureRandom random = new SecureRandom();

  public AesGcmPayloadCodec(PayloadKeys keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    SecretKey key = keys.current();
    if (key == null) return payloads; // decrypt-only: new payloads stay as they are
    List<Payload> out = new ArrayList<>(payloads.size());
    for (Payload p : payloads) out.add(encrypt(p, keys.currentId(), key));
    return out;
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    List<Payload> out = new ArrayList<>(payloads.size());
    for (Payload p : payloads) out.add(isEncrypted(p) ? decrypt(p) : p);
    return out;
  }

  /** Whether {@code p} carries this codec's encoding. */
  public static boolean isEncrypted(Payload p) {
    ByteString encoding = p.getMetadataMap().get(METADATA_ENCODING);
    return ENCODING_BYTES.equals(encoding);
  }

  private Payload encrypt(Payload p, String keyId, SecretKey key) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed;
    try {
      Cipher cipher = Cipher.getInstance(CIPHER);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      sealed = cipher.doFinal(p.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(
          "cannot encrypt a payload with key id '" + keyId + "': " + e, e);
    }
    ByteBuffer data = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
    return Payload.newBuilder()
        .putMetadata(METADATA_ENCODING, ENCODING_BYTES)
        .putMetadata(METADATA_CIPHER, CIPHER_BYTES)
        .putMetadata(METADATA_KEY_ID, ByteString.copyFromUtf8(keyId))
        .setData(ByteString.copyFrom(data.array()))
        .build();
  }

  private Payload decrypt(Payload p) {
    ByteString idBytes = p.getMetadataMap().get(METADATA_KEY_ID);
    if (idBytes == null) {
      throw new PayloadCodecException(
          "an encrypted payload has no "
              + METADATA_KEY_ID
              + " metadata; cannot"
              + " tell which key it was encrypted with");
    }
    String keyId = idBytes.toStringUtf8();
    ByteString cipherName = p.getMetadataMap().get(METADATA_CIPHER);
    if (cipherName != null && !CIPHER_BYTES.equals(cipherName)) {
      throw new PayloadCodecException(
          "a payload encrypted with key id '"
              + keyId
              + "' uses cipher '"
              + cipherName.toStringUtf8()
              + "'; only "
              + CIPHER
              + " is supported");
    }
    SecretKey key =
        keys.key(keyId)
            .orElseThrow(
                () ->
                    new PayloadCodecException(
                        "a payload is encrypted with key id '"
                            + keyId
                            + "', which this process has no key for (it has "
                            + keys.ids()
                            + "); set "
                            + DbopsConfig.DBOPS_PAYLOAD_KEY_REF
                            + " / "
                            + DbopsConfig.DBOPS_PAYLOAD_KEY_ID
                            + ", or add it to "
                            + DbopsConfig.DBOPS_PAYLOAD_OLD_KEYS));
    byte[] data = p.getData().toByteArray();
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new PayloadCodecException(
          "a payload encrypted with key id '"
              + keyId
              + "' is truncated ("
              + data.length
              + " bytes)");
    }
    byte[] plain;
    try {
      Cipher cipher = Cipher.getInstance(CIPHER);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new PayloadCodecException(
          "a payload encrypted with key id '"
              + keyId
              + "' failed authentication:"
              + " it was altered, or encrypted with a different key under the same id",
          e);
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(
          "cannot decrypt a payload with key id '" + keyId + "': " + e, e);
    }
    try {
      return Payload.parseFrom(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException(
          "a payload encrypted with key id '"
              + keyId
              + "' decrypted to something"
              + " that is not a payload",
          e);
    }
  }
}
