package dev.dbops.activities.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One IAM policy document from {@code docs/iam/}, read just far enough to check it against the
 * calls activities make: its statements' effect, actions, resources and condition keys. Conditions
 * are not evaluated ({@link #allows} answers "would an Allow statement's action and resource let
 * this through"); the test checks the few conditions it can see separately.
 */
final class IamPolicy {
  static final Pattern PLACEHOLDER = Pattern.compile("<[A-Z][A-Z0-9_]*>");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One statement; {@code actions} and {@code resources} as written (patterns, placeholders). */
  record Statement(
      String sid,
      String effect,
      List<String> actions,
      List<String> resources,
      JsonNode principal,
      JsonNode condition) {
    boolean isAllow() {
      return "Allow".equals(effect);
    }
  }

  final String name;
  final String text;
  final JsonNode root;
  final List<Statement> statements;

  private IamPolicy(String name, String text) {
    this.name = name;
    this.text = text;
    try {
      this.root = JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(name + " is not valid JSON: " + e.getMessage(), e);
    }
    List<Statement> out = new ArrayList<>();
    for (JsonNode s : root.path("Statement")) {
      out.add(
          new Statement(
              s.path("Sid").asText(null),
              s.path("Effect").asText(null),
              strings(s.get("Action")),
              strings(s.get("Resource")),
              s.get("Principal"),
              s.get("Condition")));
    }
    this.statements = List.copyOf(out);
  }

  static IamPolicy read(Path file) {
    try {
      return new IamPolicy(file.getFileName().toString(), Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static IamPolicy parse(String name, String json) {
    return new IamPolicy(name, json);
  }

  /** Every {@code <PLACEHOLDER>} the document uses. */
  Set<String> placeholders() {
    Set<String> out = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) out.add(m.group());
    return out;
  }

  /** Every action pattern of an Allow statement, in order of appearance. */
  Set<String> allowedActionPatterns() {
    Set<String> out = new LinkedHashSet<>();
    statements.stream().filter(Statement::isAllow).forEach(s -> out.addAll(s.actions()));
    return out;
  }

  /**
   * Whether an Allow statement names {@code action} and, when {@code resource} is given, a resource
   * pattern that matches it once {@code values} replaced the placeholders.
   */
  boolean allows(String action, String resource, Map<String, String> values) {
    for (Statement s : statements) {
      if (!s.isAllow() || s.actions().stream().noneMatch(a -> matches(a, action, true))) continue;
      if (resource == null) return true;
      for (String r : s.resources()) {
        if (matches(substitute(r, values), resource, false)) return true;
      }
    }
    return false;
  }

  /** The values of a condition key in Allow statements naming {@code action} (operator ignored). */
  List<String> conditionValues(String action, String key) {
    List<String> out = new ArrayList<>();
    for (Statement s : statements) {
      if (!s.isAllow()
          || s.condition() == null
          || s.actions().stream().noneMatch(a -> matches(a, action, true))) continue;
      s.condition()
          .fields()
          .forEachRemaining(
              op ->
                  op.getValue()
                      .fields()
                      .forEachRemaining(
                          k -> {
                            if (k.getKey().equals(key)) out.addAll(strings(k.getValue()));
                          }));
    }
    return out;
  }

  /** Tag keys Allow statements require on requests: {@code aws:RequestTag/<key>} condition keys. */
  Map<String, Set<String>> requiredRequestTags() {
    Map<String, Set<String>> byAction = new LinkedHashMap<>();
    for (Statement s : statements) {
      if (!s.isAllow() || s.condition() == null) continue;
      s.condition()
          .fields()
          .forEachRemaining(
              op ->
                  op.getValue()
                      .fieldNames()
                      .forEachRemaining(
                          k -> {
                            if (k.startsWith("aws:RequestTag/")) {
                              for (String a : s.actions()) {
                                byAction
                                    .computeIfAbsent(a, x -> new TreeSet<>())
                                    .add(k.substring("aws:RequestTag/".length()));
                              }
                            }
                          }));
    }
    return byAction;
  }

  /** Replaces every placeholder; one without a value stays, so it cannot match by accident. */
  static String substitute(String pattern, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(pattern);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group());
      m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** IAM wildcard match: {@code *} any run, {@code ?} one character; actions ignore case. */
  static boolean matches(String pattern, String value, boolean ignoreCase) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*') re.append(".*");
      else if (c == '?') re.append('.');
      else re.append(Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0)
        .matcher(value)
        .matches();
  }

  private static List<String> strings(JsonNode node) {
    if (node == null || node.isNull()) return List.of();
    if (node.isTextual()) return List.of(node.asText());
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Override
  public String toString() {
    return name;
  }
}
