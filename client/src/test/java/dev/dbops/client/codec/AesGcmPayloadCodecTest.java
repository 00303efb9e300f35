package dev.dbops.client.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AesGcmPayloadCodecTest {
  static final byte[] KEY_A = random(32);
  static final byte[] KEY_B = random(32);

  static final Payload JSON =
      Payload.newBuilder()
          .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
          .setData(
              ByteString.copyFromUtf8("{\"bucket\":\"payroll-archive-7f3a\",\"prefix\":\"2019/\"}"))
          .build();

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  static AesGcmPayloadCodec codec(String id, byte[] key) {
    return new AesGcmPayloadCodec(PayloadKeys.of(id, key, Map.of()));
  }

  static Payload one(List<Payload> payloads) {
    assertEquals(1, payloads.size());
    return payloads.get(0);
  }

  @Test
  void givenAPayload_whenEncodedAndDecoded_thenTheOriginalComesBackAndTheDataIsUnreadable() {
    AesGcmPayloadCodec codec = codec("k1", KEY_A);
    Payload encrypted = one(codec.encode(List.of(JSON)));

    assertEquals("binary/encrypted", encrypted.getMetadataOrThrow("encoding").toStringUtf8());
    assertEquals("k1", encrypted.getMetadataOrThrow("encryption-key-id").toStringUtf8());
    assertEquals(
        "AES/GCM/NoPadding", encrypted.getMetadataOrThrow("encryption-cipher").toStringUtf8());
    assertEquals(
        3,
        encrypted.getMetadataCount(),
        "no other metadata, in particular not the original encoding");
    String data = encrypted.getData().toString(StandardCharsets.ISO_8859_1);
    assertFalse(
        data.contains("payroll-archive-7f3a") || data.contains("json/plain"),
        "plaintext in the data");
    // 12-byte nonce + the serialized original + 16-byte tag
    assertEquals(12 + JSON.getSerializedSize() + 16, encrypted.getData().size());

    assertEquals(JSON, one(codec.decode(List.of(encrypted))));
    Payload again = one(codec.encode(List.of(JSON)));
    assertNotEquals(encrypted.getData(), again.getData(), "a fresh nonce per payload");
    assertEquals(JSON, one(codec.decode(List.of(again))));
  }

  @Test
  void givenSeveralPayloads_whenEncoded_thenEachIsEncryptedAndOrderIsKept() {
    AesGcmPayloadCodec codec = codec("k1", KEY_A);
    Payload empty =
        Payload.newBuilder()
            .putMetadata("encoding", ByteString.copyFromUtf8("binary/null"))
            .build();
    List<Payload> encoded = codec.encode(List.of(JSON, empty));
    assertTrue(encoded.stream().allMatch(AesGcmPayloadCodec::isEncrypted));
    assertEquals(List.of(JSON, empty), codec.decode(encoded));
  }

  @Test
  void givenAFlippedByte_whenDecoded_thenAuthenticationFails() {
    AesGcmPayloadCodec codec = codec("k1", KEY_A);
    Payload encrypted = one(codec.encode(List.of(JSON)));
    byte[] data = encrypted.getData().toByteArray();
    for (int at : new int[] {0, 12, data.length / 2, data.length - 1}) { // nonce, ciphertext, tag
      byte[] tampered = data.clone();
      tampered[at] ^= 0x01;
      Payload bad = encrypted.toBuilder().setData(ByteString.copyFrom(tampered)).build();
      var e =
          assertThrows(PayloadCodecException.class, () -> codec.decode(List.of(bad)), "byte " + at);
      assertTrue(e.getMessage().contains("key id 'k1' failed authentication"), e.getMessage());
    }
    Payload truncated = encrypted.toBuilder().setData(encrypted.getData().substring(0, 20)).build();
    var e = assertThrows(PayloadCodecException.class, () -> codec.decode(List.of(truncated)));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void givenTheKeyIdRelabelled_whenDecoded_thenAuthenticationFails() {
    // Both ids known, same key bytes: the id is authenticated too, so a relabelled payload fails.
    AesGcmPayloadCodec codec =
        new AesGcmPayloadCodec(PayloadKeys.of("k1", KEY_A, Map.of("k0", KEY_A)));
    Payload encrypted = one(codec.encode(List.of(JSON)));
    Payload relabelled =
        encrypted.toBuilder()
            .putMetadata("encryption-key-id", ByteString.copyFromUtf8("k0"))
            .build();
    var e = assertThrows(PayloadCodecException.class, () -> codec.decode(List.of(relabelled)));
    assertTrue(e.getMessage().contains("failed authentication"), e.getMessage());
  }

  @Test
  void givenAnUnknownKeyId_whenDecoded_thenTheErrorNamesItAndWhatThisProcessHas() {
    Payload encrypted = one(codec("prod-2025", KEY_A).encode(List.of(JSON)));
    var e =
        assertThrows(
            PayloadCodecException.class, () -> codec("staging", KEY_B).decode(List.of(encrypted)));
    assertTrue(
        e.getMessage()
            .contains("key id 'prod-2025', which this process has no key for (it has [staging])"),
        e.getMessage());
    assertTrue(e.getMessage().contains("DBOPS_PAYLOAD_OLD_KEYS"), e.getMessage());
  }

  @Test
  void givenTheSameIdWithAnotherKey_whenDecoded_thenAuthenticationFails() {
    Payload encrypted = one(codec("default", KEY_A).encode(List.of(JSON)));
    var e =
        assertThrows(
            PayloadCodecException.class, () -> codec("default", KEY_B).decode(List.of(encrypted)));
    assertTrue(e.getMessage().contains("failed authentication"), e.getMessage());
  }

  @Test
  void givenAPayloadNotMarkedEncrypted_whenDecoded_thenItPassesThroughUnchanged() {
    Payload plain = one(codec("k1", KEY_A).decode(List.of(JSON)));
    assertSame(JSON, plain);
    Payload noMetadata = Payload.newBuilder().setData(ByteString.copyFromUtf8("raw")).build();
    assertEquals(List.of(noMetadata), codec("k1", KEY_A).decode(List.of(noMetadata)));
  }

  @Test
  void givenARotation_whenTheOldKeyOnlyDecrypts_thenOldPayloadsReadAndNewOnesUseTheNewKey() {
    Payload old = one(codec("2024", KEY_A).encode(List.of(JSON)));
    AesGcmPayloadCodec rotated =
        new AesGcmPayloadCodec(PayloadKeys.of("2025", KEY_B, Map.of("2024", KEY_A)));
    assertEquals(JSON, one(rotated.decode(List.of(old))));
    Payload fresh = one(rotated.encode(List.of(JSON)));
    assertEquals("2025", fresh.getMetadataOrThrow("encryption-key-id").toStringUtf8());
    assertThrows(PayloadCodecException.class, () -> codec("2024", KEY_A).decode(List.of(fresh)));
  }

  @Test
  void givenOnlyDecryptKeys_whenEncoding_thenPayloadsStayAsTheyAreAndOldOnesStillRead() {
    Payload old = one(codec("2024", KEY_A).encode(List.of(JSON)));
    AesGcmPayloadCodec decryptOnly =
        new AesGcmPayloadCodec(PayloadKeys.of(null, null, Map.of("2024", KEY_A)));
    assertEquals(List.of(JSON), decryptOnly.encode(List.of(JSON)));
    assertEquals(JSON, one(decryptOnly.decode(List.of(old))));
  }

  @Test
  void givenKeys_whenPrinted_thenOnlyIdsAppear() {
    PayloadKeys keys = PayloadKeys.of("2025", KEY_B, Map.of("2024", KEY_A));
    assertEquals("PayloadKeys[current=2025, decrypts=[2025, 2024]]", keys.toString());
  }

  @Test
  void givenKeysOfTheWrongLength_whenBuilt_thenRefused() {
    var e =
        assertThrows(
            PayloadKeys.InvalidKeyException.class, () -> PayloadKeys.of("k", random(16), Map.of()));
    assertTrue(e.getMessage().contains("32 bytes, was 16"), e.getMessage());
    var id =
        assertThrows(
            PayloadKeys.InvalidKeyException.class, () -> PayloadKeys.of("bad id", KEY_A, Map.of()));
    assertTrue(id.getMessage().contains("key id"), id.getMessage());
  }

  @Test
  void givenTheCallersKeyArray_whenOverwrittenAfterBuilding_thenTheCodecStillDecrypts() {
    byte[] key = KEY_A.clone();
    AesGcmPayloadCodec codec = codec("k1", key);
    Payload encrypted = one(codec.encode(List.of(JSON)));
    java.util.Arrays.fill(key, (byte) 0);
    assertEquals(JSON, one(codec.decode(List.of(encrypted))));
  }
}
