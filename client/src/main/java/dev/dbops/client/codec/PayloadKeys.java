package dev.dbops.client.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys payloads are encrypted with, by key id: at most one current key (encrypts new
 * payloads, and decrypts) and any number of older keys that only decrypt (key rotation, or
 * encryption turned off while old histories must still read). Key material never leaves this class
 * in text: {@link #toString()} and every error name ids, variables and files only.
 */
public final class PayloadKeys {
  /** AES-256. */
  public static final int KEY_BYTES = 32;

  /** Key ids go into every payload's metadata; kept short and printable. */
  static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** A key that cannot be used; the message names the setting and never shows key material. */
  public static final class InvalidKeyException extends RuntimeException {
    InvalidKeyException(String message) {
      super(message);
    }
  }

  private final String currentId;
  private final Map<String, SecretKey> byId;

  private PayloadKeys(String currentId, Map<String, SecretKey> byId) {
    this.currentId = currentId;
    this.byId = Collections.unmodifiableMap(byId);
  }

  /**
   * @param currentId id of the key new payloads are encrypted with; null when payloads are no
   *     longer encrypted and {@code decryptOnly} is only there to read older ones
   * @param currentKey its 32 bytes (copied); null exactly when {@code currentId} is
   * @param decryptOnly older keys by id, for payloads encrypted before a rotation
   */
  public static PayloadKeys of(
      String currentId, byte[] currentKey, Map<String, byte[]> decryptOnly) {
    if ((currentId == null) != (currentKey == null)) {
      throw new IllegalArgumentException("a current key needs both an id and key bytes");
    }
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    if (currentId != null)
      keys.put(checkId("current key id", currentId), aes("key " + currentId, currentKey));
    decryptOnly.forEach(
        (id, key) -> {
          if (keys.put(checkId("key id", id), aes("key " + id, key)) != null) {
            throw new InvalidKeyException("key id '" + id + "' is given twice");
          }
        });
    if (keys.isEmpty()) throw new IllegalArgumentException("no keys");
    return new PayloadKeys(currentId, keys);
  }

  /**
   * The keys the settings name, or null when none is set (payloads stay as they are).
   *
   * @param keyRefVariable the variable {@code keyRef} came from, for messages
   * @param keyRef {@code file:/path} or {@code env:NAME} of the current key, or null
   * @param keyIdVariable the variable {@code keyId} came from
   * @param keyId the current key's id
   * @param oldKeysVariable the variable {@code oldKeys} came from
   * @param oldKeys {@code id=ref[,id=ref…]} of keys that only decrypt, or null
   * @param env where {@code env:} references are looked up
   */
  public static PayloadKeys load(
      String keyRefVariable,
      String keyRef,
      String keyIdVariable,
      String keyId,
      String oldKeysVariable,
      String oldKeys,
      Map<String, String> env) {
    if (keyRef == null && oldKeys == null) return null;
    Map<String, byte[]> old = new LinkedHashMap<>();
    if (oldKeys != null) {
      for (String entry : oldKeys.split(",")) {
        if (entry.isBlank()) continue;
        int eq = entry.indexOf('=');
        if (eq <= 0) {
          throw new InvalidKeyException(
              oldKeysVariable
                  + ": expected id=file:/path or id=env:NAME pairs"
                  + " separated by commas (the value is not shown)");
        }
        String id = entry.substring(0, eq).strip();
        checkId(oldKeysVariable, id);
        if (id.equals(keyRef == null ? null : keyId) || old.containsKey(id)) {
          throw new InvalidKeyException(oldKeysVariable + ": key id '" + id + "' is given twice");
        }
        old.put(
            id, read(oldKeysVariable + " (key " + id + ")", entry.substring(eq + 1).strip(), env));
      }
    }
    if (keyRef == null) return of(null, null, old);
    checkId(keyIdVariable, keyId);
    return of(keyId, read(keyRefVariable, keyRef, env), old);
  }

  /**
   * The 32 key bytes {@code ref} points at: {@code file:/path} holding them raw or as base64, or
   * {@code env:NAME} holding their base64.
   *
   * @param variable the setting {@code ref} came from, named in every error
   */
  public static byte[] read(String variable, String ref, Map<String, String> env) {
    if (ref.startsWith("file:")) {
      Path file = Path.of(ref.substring("file:".length()));
      byte[] content;
      try {
        content = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new InvalidKeyException(
            variable
                + ": cannot read the key file "
                + file
                + " ("
                + e.getClass().getSimpleName()
                + ")");
      }
      if (content.length == KEY_BYTES) return content;
      byte[] decoded = base64(new String(content, StandardCharsets.US_ASCII).strip());
      if (decoded == null || decoded.length != KEY_BYTES) {
        throw new InvalidKeyException(
            variable
                + ": the key file "
                + file
                + " holds "
                + content.length
                + " bytes; an AES-256 key is "
                + KEY_BYTES
                + " raw bytes or their base64 (44 characters)"
                + " — generate one with `openssl rand -base64 32`");
      }
      return decoded;
    }
    if (ref.startsWith("env:")) {
      String name = ref.substring("env:".length());
      String value = env.get(name);
      if (value == null || value.isBlank()) {
        throw new InvalidKeyException(variable + ": environment variable " + name + " is not set");
      }
      byte[] decoded = base64(value.strip());
      if (decoded == null || decoded.length != KEY_BYTES) {
        throw new InvalidKeyException(
            variable
                + ": environment variable "
                + name
                + " is not the base64 of a "
                + KEY_BYTES
                + "-byte AES-256 key ("
                + (decoded == null ? "not base64" : "decodes to " + decoded.length + " bytes")
                + "; the value is not shown) — generate one with `openssl rand -base64 32`");
      }
      return decoded;
    }
    throw new InvalidKeyException(
        variable + ": must be a reference, file:/path or env:NAME" + " (the value is not shown)");
  }

  /** The id new payloads are encrypted under, or null when new payloads are not encrypted. */
  public String currentId() {
    return currentId;
  }

  /** Every id this process can decrypt, the current one first. */
  public Set<String> ids() {
    return byId.keySet();
  }

  SecretKey current() {
    return currentId == null ? null : byId.get(currentId);
  }

  Optional<SecretKey> key(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Ids only, never key material. */
  @Override
  public String toString() {
    return "PayloadKeys[current=" + currentId + ", decrypts=" + byId.keySet() + "]";
  }

  private static String checkId(String variable, String id) {
    if (id == null || !KEY_ID.matcher(id).matches()) {
      throw new InvalidKeyException(
          variable
              + ": a key id is 1 to 64 letters, digits, '.', '_' or '-'"
              + " (starting with a letter or digit), was '"
              + id
              + "'");
    }
    return id;
  }

  private static SecretKey aes(String what, byte[] key) {
    if (key == null || key.length != KEY_BYTES) {
      throw new InvalidKeyException(
          what
              + ": an AES-256 key is "
              + KEY_BYTES
              + " bytes, was "
              + (key == null ? "none" : key.length));
    }
    return new SecretKeySpec(key.clone(), "AES");
  }

  private static byte[] base64(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
