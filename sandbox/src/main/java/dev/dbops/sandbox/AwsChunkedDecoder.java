package dev.dbops.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes a SigV4 streaming body ({@code Content-Encoding: aws-chunked}), as the SDK sends for
 * PutObject: {@code <hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n} … a zero-size chunk, then
 * optional trailers ({@code x-amz-checksum-crc32:…}, {@code x-amz-trailer-signature:…}) and an
 * empty line. Chunk signatures are not verified.
 */
final class AwsChunkedDecoder {

  /** The decoded payload and the trailers that followed it. */
  record Decoded(byte[] payload, Map<String, String> trailers) {}

  private final byte[] in;
  private int pos;

  private AwsChunkedDecoder(byte[] in) {
    this.in = in;
  }

  /** True when the request headers announce an aws-chunked body. */
  static boolean isAwsChunked(String contentEncoding, String contentSha256) {
    boolean encoded =
        contentEncoding != null && contentEncoding.toLowerCase().contains("aws-chunked");
    boolean streaming = contentSha256 != null && contentSha256.startsWith("STREAMING-");
    return encoded || streaming;
  }

  static Decoded decode(byte[] body) {
    return new AwsChunkedDecoder(body).decode();
  }

  private Decoded decode() {
    ByteArrayOutputStream payload = new ByteArrayOutputStream(in.length);
    while (true) {
      String header = readLine();
      int semicolon = header.indexOf(';');
      String hex = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw malformed("bad chunk size '" + hex + "'");
      }
      if (size < 0 || pos + size > in.length) {
        throw malformed("chunk of " + size + " bytes overruns the body");
      }
      if (size == 0) {
        return new Decoded(payload.toByteArray(), readTrailers());
      }
      payload.write(in, pos, size);
      pos += size;
      if (!readLine().isEmpty()) {
        throw malformed("chunk data not followed by CRLF");
      }
    }
  }

  private Map<String, String> readTrailers() {
    Map<String, String> trailers = new LinkedHashMap<>();
    while (pos < in.length) {
      String line = readLine();
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        trailers.put(
            line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
      }
    }
    return trailers;
  }

  /** Reads up to CRLF (or LF, or the end) and consumes the line break. */
  private String readLine() {
    int start = pos;
    while (pos < in.length && in[pos] != '\n') {
      pos++;
    }
    int end = pos;
    if (pos < in.length) {
      pos++; // '\n'
    }
    if (end > start && in[end - 1] == '\r') {
      end--;
    }
    return new String(in, start, end - start, StandardCharsets.US_ASCII);
  }

  private static IllegalArgumentException malformed(String why) {
    return new IllegalArgumentException("malformed aws-chunked body: " + why);
  }
}
