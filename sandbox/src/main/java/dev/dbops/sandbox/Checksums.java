package dev.dbops.sandbox;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * Verifies the integrity values a client sends with a body ({@code Content-MD5} and the flexible
 * checksums {@code x-amz-checksum-*}, as headers or aws-chunked trailers), as S3 does. An algorithm
 * the JDK lacks (CRC64NVME) is accepted unchecked.
 */
final class Checksums {

  private Checksums() {}

  /**
   * @throws ServiceException 400 BadDigest / InvalidDigest on a mismatch
   */
  static void verify(SandboxRequest request, byte[] data) {
    String md5 = request.header("Content-MD5");
    if (md5 != null && !md5.equals(base64(digest("MD5", data)))) {
      throw new ServiceError(
              400, "BadDigest", "The Content-MD5 you specified did not match what we received.")
          .exception();
    }
    for (String algorithm : new String[] {"crc32", "crc32c", "sha1", "sha256"}) {
      String name = "x-amz-checksum-" + algorithm;
      String sent = request.header(name);
      if (sent == null) {
        sent = request.trailers().get(name);
      }
      if (sent != null && !sent.equals(compute(algorithm, data))) {
        throw new ServiceError(
                400,
                "BadDigest",
                "The "
                    + algorithm.toUpperCase()
                    + " you specified did not match the calculated checksum.")
            .exception();
      }
    }
  }

  /** The flexible checksums the client sent (header or trailer), to echo in the response. */
  static Map<String, String> sent(SandboxRequest request) {
    java.util.Map<String, String> sent = new java.util.LinkedHashMap<>();
    for (String algorithm : new String[] {"crc32", "crc32c", "crc64nvme", "sha1", "sha256"}) {
      String name = "x-amz-checksum-" + algorithm;
      String value =
          request.header(name) != null ? request.header(name) : request.trailers().get(name);
      if (value != null) {
        sent.put(name, value);
      }
    }
    return sent;
  }

  private static String compute(String algorithm, byte[] data) {
    return switch (algorithm) {
      case "crc32" -> crc(new CRC32(), data);
      case "crc32c" -> crc(new CRC32C(), data);
      case "sha1" -> base64(digest("SHA-1", data));
      case "sha256" -> base64(digest("SHA-256", data));
      default -> throw new IllegalArgumentException(algorithm);
    };
  }

  private static String crc(Checksum checksum, byte[] data) {
    checksum.update(data, 0, data.length);
    return base64(ByteBuffer.allocate(4).putInt((int) checksum.getValue()).array());
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every JDK", e);
    }
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
