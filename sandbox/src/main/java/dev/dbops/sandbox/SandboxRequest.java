package dev.dbops.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request, fully read: method, decoded path, query, headers (case-insensitive), body
 * (aws-chunked already decoded) and the SigV4 scope it was signed for.
 *
 * @param path percent-decoded path ({@code +} stays {@code +})
 * @param query decoded query parameters in order; a bare flag like {@code ?restore} maps to ""
 * @param trailers aws-chunked trailers (e.g. {@code x-amz-checksum-crc32}), lower-case names
 */
record SandboxRequest(
    String method,
    String path,
    Map<String, String> query,
    Map<String, List<String>> headers,
    byte[] body,
    Map<String, String> trailers,
    SigV4Scope scope) {

  static SandboxRequest read(HttpExchange exchange) throws IOException {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
    String rawQuery = exchange.getRequestURI().getRawQuery();
    Map<String, String> query = parseForm(rawQuery);
    byte[] body = readAll(exchange.getRequestBody());
    Map<String, String> trailers = Map.of();
    if (AwsChunkedDecoder.isAwsChunked(
            first(headers, "Content-Encoding"), first(headers, "x-amz-content-sha256"))
        && body.length > 0) {
      AwsChunkedDecoder.Decoded decoded = AwsChunkedDecoder.decode(body);
      body = decoded.payload();
      trailers = decoded.trailers();
    }
    SigV4Scope scope =
        SigV4Scope.parse(first(headers, "Authorization"), query.get("X-Amz-Credential"));
    String path = decodePath(exchange.getRequestURI().getRawPath());
    return new SandboxRequest(
        exchange.getRequestMethod().toUpperCase(),
        path,
        query,
        Collections.unmodifiableMap(headers),
        body,
        trailers,
        scope);
  }

  String header(String name) {
    return first(headers, name);
  }

  boolean hasQuery(String name) {
    return query.containsKey(name);
  }

  boolean isHead() {
    return "HEAD".equals(method);
  }

  /** Path segments after the leading slash, split on the first {@code limit - 1} slashes. */
  List<String> segments(int limit) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.isEmpty()) {
      return List.of();
    }
    return List.of(p.split("/", limit));
  }

  /** Parses {@code a=1&b=x%20y&flag} (also a form-encoded body). */
  static Map<String, String> parseForm(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  /** Percent-decodes a URL path; unlike form decoding, {@code +} is a literal plus. */
  static String decodePath(String raw) {
    if (raw == null) {
      return "/";
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  static List<String> csv(String value) {
    List<String> items = new ArrayList<>();
    if (value == null) {
      return items;
    }
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return items;
  }
}
