package dev.dbops.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** Minimal streaming XML writer for AWS responses (REST-XML and Query protocols alike). */
final class XmlWriter {

  private final StringBuilder out =
      new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  private final Deque<String> open = new ArrayDeque<>();

  XmlWriter start(String name) {
    out.append('<').append(name).append('>');
    open.push(name);
    return this;
  }

  XmlWriter start(String name, String xmlns) {
    out.append('<').append(name).append(" xmlns=\"").append(escape(xmlns)).append("\">");
    open.push(name);
    return this;
  }

  /** {@code <name>text</name>}; nothing when {@code text} is null. */
  XmlWriter element(String name, Object text) {
    if (text != null) {
      out.append('<')
          .append(name)
          .append('>')
          .append(escape(text.toString()))
          .append("</")
          .append(name)
          .append('>');
    }
    return this;
  }

  XmlWriter end() {
    out.append("</").append(open.pop()).append('>');
    return this;
  }

  byte[] toBytes() {
    while (!open.isEmpty()) {
      end();
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        case '\r' -> b.append("&#13;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
