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
 * Prints statuses and results for people: a compact, indented outline of the JSON the workflow
 * returns, so every procedure renders without code of its own. {@code --json} prints the JSON
 * itself. Every value shown passes {@link Printable#escape} here (a newline in a comment cannot
 * forge a line); the command's writers escape the rest ({@link DbopsCommand#out}).
 */
final class Render {
  private Render() {}

  /**
   * Lists longer than this show their count and the last {@link #LAST_FEW} items (--json shows
   * all).
   */
  static final int LIST_LIMIT = 20;

  /**
   * Items shown of a list longer than {@link #LIST_LIMIT}: the newest, for lists that grow at the
   * end.
   */
  static final int LAST_FEW = 5;

  /**
   * No line of an outline is longer: a value beyond it is cut with an ellipsis (--json has it
   * whole).
   */
  static final int MAX_LINE = 200;

  static final ObjectMapper MAPPER =
      JacksonJsonPayloadConverter.newDefaultObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT);

  static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print as JSON: " + e.getMessage(), e);
    }
  }

  /** {@code value} as JSON on one line: one document per line (newline-delimited JSON). */
  static String jsonLine(Object value) {
    try {
      return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print as JSON: " + e.getMessage(), e);
    }
  }

  /** Every non-empty field of {@code node}, one per line, nested values indented. */
  static void outline(PrintWriter out, JsonNode node, String indent) {
    outline(out, node, indent, Map.of());
  }

  /**
   * As above; {@code whereTheRestIs} names, per list field, where a person finds the items a long
   * list leaves out (default: {@code --json}).
   */
  static void outline(
      PrintWriter out, JsonNode node, String indent, Map<String, String> whereTheRestIs) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode v = f.getValue();
      if (isEmpty(v)) continue;
      if (v.isValueNode()) {
        out.println(cut(indent + Printable.escape(f.getKey()) + ": " + scalar(v)));
      } else if (v.isObject() && allScalars(v)) {
        out.println(cut(indent + Printable.escape(f.getKey()) + ": " + inline(v)));
      } else if (v.isObject()) {
        out.println(cut(indent + Printable.escape(f.getKey()) + ":"));
        outline(out, v, indent + "  ", whereTheRestIs);
      } else {
        out.println(cut(indent + Printable.escape(f.getKey()) + ":"));
        list(out, v, indent + "  ", whereTheRestIs.getOrDefault(f.getKey(), "--json shows all"));
      }
    }
  }

  /** Up to {@link #LIST_LIMIT} items one per line; a longer list as its count and its last few. */
  static void list(PrintWriter out, JsonNode array, String indent, String whereTheRestIs) {
    int from = 0;
    if (array.size() > LIST_LIMIT) {
      from = array.size() - LAST_FEW;
      out.println(
          cut(
              indent
                  + array.size()
                  + " entries, the last "
                  + LAST_FEW
                  + " below; "
                  + whereTheRestIs));
    }
    for (int i = from; i < array.size(); i++) {
      out.println(cut(indent + "- " + line(array.get(i))));
    }
  }

  /** {@code line} cut to {@link #MAX_LINE} characters, an ellipsis saying so. */
  static String cut(String line) {
    return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE - 1) + "…";
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
    flat.fields()
        .forEachRemaining(
            e -> {
              if (!isEmpty(e.getValue()))
                parts.add(Printable.escape(e.getKey()) + "=" + scalar(e.getValue()));
            });
    return String.join(", ", parts);
  }

  /** Fractions to four places (money, ratios); everything else as is. */
  static String scalar(JsonNode v) {
    return v.isFloatingPointNumber()
        ? String.format("%.4f", v.asDouble())
        : Printable.escape(v.asText());
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

  /**
   * {@code field} of {@code node} as data (not escaped: for JSON documents and comparisons), or
   * null.
   */
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
    return v == null
        || v.isNull()
        || (v.isContainerNode() && v.isEmpty())
        || (v.isTextual() && v.asText().isEmpty());
  }
}
