package dev.dbops.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.client.DbopsConfig;
import dev.dbops.client.TemporalConnection;
import dev.dbops.client.codec.AesGcmPayloadCodec;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.RestoreTier;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DBOPS_PAYLOAD_* settings: where keys come from, what is refused, and the client's converter. */
class PayloadEncryptionConfigTest {
  static final byte[] KEY = random(32);
  static final String KEY_B64 = Base64.getEncoder().encodeToString(KEY);

  @TempDir Path dir;

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  static DbopsConfig config(String... nameValues) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) env.put(nameValues[i], nameValues[i + 1]);
    return DbopsConfig.from(env);
  }

  static DbopsConfig.InvalidConfigException refused(String... nameValues) {
    return assertThrows(DbopsConfig.InvalidConfigException.class, () -> config(nameValues));
  }

  /** A request through {@code config}'s converter and back, with the encoded payload. */
  static Payload encodedRequest(DbopsConfig config, GlacierRestoreRequest request) {
    var converter = TemporalConnection.dataConverter(config);
    Payload p = converter.toPayload(request).orElseThrow();
    assertEquals(
        request,
        converter.fromPayload(p, GlacierRestoreRequest.class, GlacierRestoreRequest.class));
    return p;
  }

  /** As it reads back from JSON (absent flags read as their defaults). */
  static final GlacierRestoreRequest REQUEST =
      plainRoundTrip(
          GlacierRestoreRequest.Builder.of("payroll-archive-7f3a", "2019/")
              .tier(RestoreTier.STANDARD)
              .requestedBy("bob")
              .build());

  static GlacierRestoreRequest plainRoundTrip(GlacierRestoreRequest r) {
    var json = GlobalDataConverter.get();
    return json.fromPayload(
        json.toPayload(r).orElseThrow(), GlacierRestoreRequest.class, GlacierRestoreRequest.class);
  }

  @Test
  void givenNoKey_whenRead_thenPayloadsArePlainJsonAsBefore() {
    DbopsConfig c = config();
    assertFalse(c.encryptsPayloads());
    assertNull(c.payloadKeys());
    assertSame(GlobalDataConverter.get(), TemporalConnection.dataConverter(c));
    assertFalse(c.describe().contains("payloads="), c.describe());
  }

  @Test
  void givenARawKeyFile_whenRead_thenRequestsAreEncryptedUnderTheDefaultId() throws Exception {
    Path file = dir.resolve("payload.key");
    Files.write(file, KEY);
    DbopsConfig c = config(DbopsConfig.DBOPS_PAYLOAD_KEY_REF, "file:" + file);
    assertTrue(c.encryptsPayloads());
    assertEquals("default", c.payloadKeys().currentId());
    assertInstanceOf(CodecDataConverter.class, TemporalConnection.dataConverter(c));

    Payload p = encodedRequest(c, REQUEST);
    assertTrue(AesGcmPayloadCodec.isEncrypted(p));
    assertEquals("default", p.getMetadataOrThrow("encryption-key-id").toStringUtf8());
    assertFalse(p.getData().toString(StandardCharsets.ISO_8859_1).contains("payroll-archive-7f3a"));
    assertTrue(c.describe().endsWith(" payloads=encrypted(key default)"), c.describe());
  }

  @Test
  void givenABase64KeyFileAndAnId_whenRead_thenThatIdIsUsed() throws Exception {
    Path file = dir.resolve("payload.key.b64");
    Files.writeString(file, KEY_B64 + "\n");
    DbopsConfig c =
        config(
            DbopsConfig.DBOPS_PAYLOAD_KEY_REF,
            "file:" + file,
            DbopsConfig.DBOPS_PAYLOAD_KEY_ID,
            "prod-2025-01");
    assertEquals(
        "prod-2025-01",
        encodedRequest(c, REQUEST).getMetadataOrThrow("encryption-key-id").toStringUtf8());
  }

  @Test
  void givenAKeyInAnEnvironmentVariable_whenRead_thenTheSameKeyAsFromAFile() throws Exception {
    Path file = dir.resolve("payload.key");
    Files.write(file, KEY);
    DbopsConfig fromEnv =
        config(DbopsConfig.DBOPS_PAYLOAD_KEY_REF, "env:DBOPS_TEST_KEY", "DBOPS_TEST_KEY", KEY_B64);
    DbopsConfig fromFile = config(DbopsConfig.DBOPS_PAYLOAD_KEY_REF, "file:" + file);
    Payload p = TemporalConnection.dataConverter(fromEnv).toPayload(REQUEST).orElseThrow();
    assertEquals(
        REQUEST,
        TemporalConnection.dataConverter(fromFile)
            .fromPayload(p, GlacierRestoreRequest.class, GlacierRestoreRequest.class));
  }

  @Test
  void givenAPropertiesFile_whenItNamesTheKey_thenItIsUsed() throws Exception {
    Path props = dir.resolve("dbops.properties");
    Files.writeString(
        props, "DBOPS_PAYLOAD_KEY_REF=env:DBOPS_TEST_KEY\nDBOPS_PAYLOAD_KEY_ID=from-file\n");
    DbopsConfig c = config(DbopsConfig.DBOPS_CONFIG, props.toString(), "DBOPS_TEST_KEY", KEY_B64);
    assertEquals("from-file", c.payloadKeys().currentId());
  }

  @Test
  void givenPlainPayloadsWrittenBeforeEncryption_whenReadWithTheKey_thenTheyPassThrough()
      throws Exception {
    Path file = dir.resolve("payload.key");
    Files.write(file, KEY);
    Payload plain = GlobalDataConverter.get().toPayload(REQUEST).orElseThrow();
    assertEquals(
        REQUEST,
        TemporalConnection.dataConverter(config(DbopsConfig.DBOPS_PAYLOAD_KEY_REF, "file:" + file))
            .fromPayload(plain, GlacierRestoreRequest.class, GlacierRestoreRequest.class));
  }

  @Test
  void givenARotation_whenTheOldKeyIsListed_thenOldPayloadsReadAndNewOnesUseTheNewId()
      throws Exception {
    Path oldFile = dir.resolve("old.key");
    Files.write(oldFile, KEY);
    DbopsConfig before =
        config(
            DbopsConfig.DBOPS_PAYLOAD_KEY_REF,
            "file:" + oldFile,
            DbopsConfig.DBOPS_PAYLOAD_KEY_ID,
            "2024");
    Payload old = encodedRequest(before, REQUEST);

    DbopsConfig after =
        config(
            DbopsConfig.DBOPS_PAYLOAD_KEY_REF,
            "env:NEW_KEY",
            "NEW_KEY",
            Base64.getEncoder().encodeToString(random(32)),
            DbopsConfig.DBOPS_PAYLOAD_KEY_ID,
            "2025",
            DbopsConfig.DBOPS_PAYLOAD_OLD_KEYS,
            "2024=file:" + oldFile + ", 2023=env:OLDER_KEY",
            "OLDER_KEY",
            Base64.getEncoder().encodeToString(random(32)));
    assertEquals(List.of("2025", "2024", "2023"), List.copyOf(after.payloadKeys().ids()));
    assertEquals(
        REQUEST,
        TemporalConnection.dataConverter(after)
            .fromPayload(old, GlacierRestoreRequest.class, GlacierRestoreRequest.class));
    assertEquals(
        "2025",
        encodedRequest(after, REQUEST).getMetadataOrThrow("encryption-key-id").toStringUtf8());

    // Turned off: new payloads plain, old ones still read.
    DbopsConfig off = config(DbopsConfig.DBOPS_PAYLOAD_OLD_KEYS, "2024=file:" + oldFile);
    assertNull(off.payloadKeys().currentId());
    assertFalse(AesGcmPayloadCodec.isEncrypted(encodedRequest(off, REQUEST)));
    assertEquals(
        REQUEST,
        TemporalConnection.dataConverter(off)
            .fromPayload(old, GlacierRestoreRequest.class, GlacierRestoreRequest.class));
    assertTrue(off.describe().endsWith(" payloads=decrypt-only[2024]"), off.describe());
  }

  @Test
  void givenAKeyOfTheWrongLength_whenRead_thenTheErrorNamesTheVariableAndNotTheKey()
      throws Exception {
    Path shortFile = dir.resolve("short.key");
    String shortKey = Base64.getEncoder().encodeToString(random(16));
    Files.writeString(shortFile, shortKey);
    var file = refused(DbopsConfig.DBOPS_PAYLOAD_KEY_REF, "file:" + shortFile);
    assertTrue(
        file.getMessage()
            .startsWith("DBOPS_PAYLOAD_KEY_REF: the key file " + shortFile + " holds 24 bytes"),
        file.getMessage());
    assertFalse(file.getMessage().contains(shortKey), file.getMessage());

    var env = refused(DbopsConfig.DBOPS_PAYLOAD_KEY_REF, "env:SHORT", "SHORT", shortKey);
    assertTrue(
        env.getMessage()
            .startsWith(
                "DBOPS_PAYLOAD_KEY_REF: environment variable SHORT is not the base64"
                    + " of a 32-byte AES-256 key (decodes to 16 bytes"),
        env.getMessage());
    assertFalse(env.getMessage().contains(shortKey), env.getMessage());

    var old =
        refused(
            DbopsConfig.DBOPS_PAYLOAD_KEY_REF,
            "env:GOOD",
            "GOOD",
            KEY_B64,
            DbopsConfig.DBOPS_PAYLOAD_OLD_KEYS,
            "old=env:SHORT",
            "SHORT",
            shortKey);
    assertTrue(
        old.getMessage().startsWith("DBOPS_PAYLOAD_OLD_KEYS (key old): environment variable SHORT"),
        old.getMessage());
  }

  @Test
  void givenUnusableKeySettings_whenRead_thenEachIsRefusedNamingTheVariable() {
    // The key pasted in place of a reference is refused without being echoed.
    var pasted = refused(DbopsConfig.DBOPS_PAYLOAD_KEY_REF, KEY_B64);
    assertTrue(
        pasted
            .getMessage()
            .startsWith("DBOPS_PAYLOAD_KEY_REF: must be a reference, file:/path or env:NAME"),
        pasted.getMessage());
    assertFalse(pasted.getMessage().contains(KEY_B64), pasted.getMessage());

    var unset = refused(DbopsConfig.DBOPS_PAYLOAD_KEY_REF, "env:DBOPS_NO_SUCH_KEY");
    assertTrue(
        unset
            .getMessage()
            .equals("DBOPS_PAYLOAD_KEY_REF: environment variable DBOPS_NO_SUCH_KEY is not set"),
        unset.getMessage());
    var missing = refused(DbopsConfig.DBOPS_PAYLOAD_KEY_REF, "file:" + dir.resolve("nope.key"));
    assertTrue(
        missing.getMessage().startsWith("DBOPS_PAYLOAD_KEY_REF: cannot read the key file"),
        missing.getMessage());
    var notBase64 = refused(DbopsConfig.DBOPS_PAYLOAD_KEY_REF, "env:K", "K", "not base64 at all!");
    assertTrue(
        notBase64.getMessage().contains("(not base64; the value is not shown)"),
        notBase64.getMessage());
    assertFalse(notBase64.getMessage().contains("not base64 at all!"), notBase64.getMessage());

    var id =
        refused(
            DbopsConfig.DBOPS_PAYLOAD_KEY_REF,
            "env:K",
            "K",
            KEY_B64,
            DbopsConfig.DBOPS_PAYLOAD_KEY_ID,
            "prod key");
    assertTrue(id.getMessage().startsWith("DBOPS_PAYLOAD_KEY_ID: a key id is"), id.getMessage());
    var pairs = refused(DbopsConfig.DBOPS_PAYLOAD_OLD_KEYS, "env:K", "K", KEY_B64);
    assertTrue(
        pairs.getMessage().startsWith("DBOPS_PAYLOAD_OLD_KEYS: expected id=file:/path"),
        pairs.getMessage());
    var twice =
        refused(
            DbopsConfig.DBOPS_PAYLOAD_KEY_REF,
            "env:K",
            "K",
            KEY_B64,
            DbopsConfig.DBOPS_PAYLOAD_OLD_KEYS,
            "default=env:K");
    assertTrue(
        twice.getMessage().equals("DBOPS_PAYLOAD_OLD_KEYS: key id 'default' is given twice"),
        twice.getMessage());
  }

  @Test
  void givenKeysAndAnApiKey_whenTheConfigIsPrinted_thenNeitherAppears() {
    DbopsConfig c =
        config(
            DbopsConfig.DBOPS_PAYLOAD_KEY_REF,
            "env:K",
            "K",
            KEY_B64,
            DbopsConfig.TEMPORAL_API_KEY,
            "api-key-7d1e");
    for (String printed : List.of(c.toString(), c.describe(), String.valueOf(c.payloadKeys()))) {
      assertFalse(printed.contains(KEY_B64) || printed.contains("api-key-7d1e"), printed);
      assertFalse(printed.contains("env:K"), printed);
    }
  }
}
