package dev.dbops.starter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps secrets out of what the CLI prints. Requests hold only references, but a report must not
 * rely on that: a field whose name contains "password" or "secret" is replaced unless its value is
 * a reference ({@code env:}, {@code file:}, {@code secretsmanager:}).
 */
final class Redaction {
  private Redaction() {}

  static final String REDACTED = "[redacted]";
  static final List<String> SECRET_NAMES = List.of("password", "secret");
  static final List<String> REFERENCE_PREFIXES = List.of("env:", "file:", "secretsmanager:");

  /**
   * {@code node} with every secret-named field's value replaced; changes it in place and returns
   * it.
   */
  static <T extends JsonNode> T apply(T node) {
    if (node instanceof ObjectNode o) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      o.fields().forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> f : fields) {
        if (isSecretName(f.getKey()) && !isReference(f.getValue())) {
          o.put(f.getKey(), REDACTED);
        } else {
          apply(f.getValue());
        }
      }
    } else if (node instanceof ArrayNode a) {
      a.forEach(Redaction::apply);
    }
    return node;
  }

  static boolean isSecretName(String field) {
    String f = field.toLowerCase(Locale.ROOT);
    return SECRET_NAMES.stream().anyMatch(f::contains);
  }

  /** Null, or a text that only points at where the secret is. */
  static boolean isReference(JsonNode value) {
    if (value == null || value.isNull()) return true;
    if (!value.isTextual()) return false;
    String v = value.asText();
    return REFERENCE_PREFIXES.stream().anyMatch(v::startsWith);
  }
}
