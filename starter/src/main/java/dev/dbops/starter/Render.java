package dev.dbops.starter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dbops.workflows.common.Printable;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prints statuses and results for people: a compact, indented outline of the JSON the
 * workflow returns, so every procedure renders without code of its own. {@code --json} prints
 * the JSON itself. Every value shown passes {@link Printable#escape} here (a newline in a comment
 * cannot forge a line); the command's writers escape the rest ({@link DbopsCommand#out}).
 */
final class Render {
  private Render() {}

  /** Longer lists are cut here (the full list is in {@code --json}). */
  static final int LIST_LIMIT = 20;

  static final ObjectMapper MAPPER = JacksonJsonPayloadConverter.newDefaultObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print as JSON: " + e.getMessage(), e);
    }
  }

  /** Every non-empty field of {@code node}, one per line, nested values indented. */
  static void outline(PrintWriter out, JsonNode node, String indent) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode v = f.getValue();
      if (isEmpty(v)) continue;
      if (v.isValueNode()) {
        out.println(indent + Printable.escape(f.getKey()) + ": " + scalar(v));
      } else if (v.isObject() && allScalars(v)) {
        out.println(indent + Printable.escape(f.getKey()) + ": " + inline(v));
      } else if (v.isObject()) {
        out.println(indent + Printable.escape(f.getKey()) + ":");
        outline(out, v, indent + "  ");
      } else {
        out.println(indent + Printable.escape(f.getKey()) + ":");
        list(out, v, indent + "  ");
      }
    }
  }

  static void list(PrintWriter out, JsonNode array, String indent) {
    int n = 0;
    for (JsonNode item : array) {
      if (n++ == LIST_LIMIT) {
        out.println(indent + "… and " + (array.size() - LIST_LIMIT) + " more (--json shows all)");
        return;
      }
      out.println(indent + "- " + line(item));
    }
  }

  /** One list item on one line: its values, separated by two spaces. */
  static String line(JsonNode item) {
    if (item.isValueNode()) return Printable.escape(item.asText());
    List<String> parts = new ArrayList<>();
    for (JsonNode v : item) {
      if (isEmpty(v)) continue;
      parts.add(v.isValueNode() ? scalar(v) : Printable.escape(v.toString()));
    }
    return String.join("  ", parts);
  }

  /** {@code a=1, b=2} for a flat object. */
  static String inline(JsonNode flat) {
    List<String> parts = new ArrayList<>();
    flat.fields().forEachRemaining(e -> {
      if (!isEmpty(e.getValue())) parts.add(Printable.escape(e.getKey()) + "=" + scalar(e.getValue()));
    });
    return String.join(", ", parts);
  }

  /** Fractions to four places (money, ratios); everything else as is. */
  static String scalar(JsonNode v) {
    return v.isFloatingPointNumber() ? String.format("%.4f", v.asDouble()) : Printable.escape(v.asText());
  }

  /** An ISO instant as {@code 2026-01-31 12:00:05Z}. */
  static String time(String isoInstant) {
    if (isoInstant == null) return "";
    String t = isoInstant.replace('T', ' ');
    int dot = t.indexOf('.');
    return dot > 0 ? t.substring(0, dot) + "Z" : t;
  }

  /** {@code field} of {@code node} as shown to a person (escaped), or null. */
  static String text(JsonNode node, String field) {
    return Printable.escape(raw(node, field));
  }

  /** {@code field} of {@code node} as data (not escaped: for JSON documents and comparisons), or null. */
  static String raw(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static boolean allScalars(JsonNode object) {
    for (JsonNode v : object) {
      if (!v.isValueNode()) return false;
    }
    return true;
  }

  private static boolean isEmpty(JsonNode v) {
    return v == null || v.isNull() || (v.isContainerNode() && v.isEmpty())
        || (v.isTextual() && v.asText().isEmpty());
  }
}
