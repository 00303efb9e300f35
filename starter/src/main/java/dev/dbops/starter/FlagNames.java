package dev.dbops.starter;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Request field paths in a message, renamed to the flags that fill them ({@link RequestField}):
 * {@code skipPolicy.allowedErrnos: 1452 …} becomes {@code --skip-errno: 1452 …}. A path no flag
 * fills is named by the flag of its nearest parent ({@code source.host} → {@code --source}) or by
 * the flags of its children ({@code startPosition} → {@code --start-file/--start-pos}); indices are
 * dropped. A dotted or camel-case path is renamed wherever it stands; a one-word path ({@code
 * source}, {@code days}) only where a message names a field — at its start, or after {@code ;} or a
 * line break, followed by a colon — so "the source" stays prose.
 */
final class FlagNames {
  /** A candidate path: words joined by dots, with optional [n] indices. */
  private static final Pattern PATH =
      Pattern.compile(
          "(?<![A-Za-z0-9_.\\[\\]$@`'-])([A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z][A-Za-z0-9_]*|\\[[0-9]+\\])*)(?![A-Za-z0-9_.\\[$@`'-])");

  private static final Pattern INDEX = Pattern.compile("\\[[0-9]+\\]");

  private final Map<String, List<String>> flagsByPath;

  FlagNames(Map<String, List<String>> flagsByPath) {
    this.flagsByPath = flagsByPath;
  }

  /** The paths the options of a procedure's flags mixin (its own mixins included) fill. */
  static FlagNames of(CommandSpec flags) {
    Map<String, List<String>> byPath = new LinkedHashMap<>();
    for (OptionSpec o : flags.options()) {
      RequestField field = requestField(o);
      if (field != null)
        byPath.computeIfAbsent(field.value(), k -> new ArrayList<>()).add(o.longestName());
    }
    return new FlagNames(byPath);
  }

  /** The option's {@link RequestField}, or null. */
  static RequestField requestField(OptionSpec o) {
    return o.userObject() instanceof Field f ? f.getAnnotation(RequestField.class) : null;
  }

  String rename(String message) {
    if (message == null || flagsByPath.isEmpty()) return message;
    Matcher m = PATH.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String token = m.group(1);
      String flags = flagsFor(INDEX.matcher(token).replaceAll(""));
      boolean unambiguous =
          token.contains(".") || token.contains("[") || !token.equals(token.toLowerCase());
      if (flags == null || !(unambiguous || namesAField(message, m.start(), m.end()))) {
        m.appendReplacement(out, Matcher.quoteReplacement(token));
      } else {
        m.appendReplacement(out, Matcher.quoteReplacement(flags));
      }
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The flag(s) for a path: its own, its nearest parent's, or its children's; null when none. */
  private String flagsFor(String path) {
    List<String> own = flagsByPath.get(path);
    if (own != null) return String.join("/", own);
    for (int dot = path.lastIndexOf('.'); dot > 0; dot = path.lastIndexOf('.', dot - 1)) {
      List<String> parent = flagsByPath.get(path.substring(0, dot));
      if (parent != null) return String.join("/", parent);
    }
    List<String> children = new ArrayList<>();
    flagsByPath.forEach(
        (p, f) -> {
          if (p.startsWith(path + ".")) children.addAll(f);
        });
    return children.isEmpty() ? null : String.join("/", children);
  }

  /**
   * At the start of the message or of a line or clause ({@code ;}, {@code (}), and followed by a
   * colon.
   */
  private static boolean namesAField(String message, int start, int end) {
    if (end >= message.length() || message.charAt(end) != ':') return false;
    int i = start - 1;
    while (i >= 0 && message.charAt(i) == ' ') i--;
    return i < 0
        || message.charAt(i) == '\n'
        || message.charAt(i) == ';'
        || message.charAt(i) == '(';
  }
}
