package dev.dbops.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response to write: status, headers (single-valued) and body (ignored for HEAD). */
record SandboxResponse(int status, Map<String, String> headers, byte[] body) {

  SandboxResponse {
    headers = new LinkedHashMap<>(headers);
    body = body == null ? new byte[0] : body;
  }

  static SandboxResponse of(int status) {
    return new SandboxResponse(status, Map.of(), null);
  }

  static SandboxResponse xml(int status, byte[] xml) {
    return new SandboxResponse(status, Map.of("Content-Type", "application/xml"), xml);
  }

  static SandboxResponse json(int status, String json) {
    return new SandboxResponse(
        status, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
  }

  SandboxResponse header(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new SandboxResponse(status, more, body);
  }
}
