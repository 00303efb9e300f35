package dev.dbops.starter;

import dev.dbops.workflows.common.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The CLI's output boundary: everything a command prints passes {@link
 * Printable#escapeKeepingLines}, so a control or format character from a run's data (a clear-screen
 * escape in a comment, a bidi override in a name) is shown as backslash-u-001B / backslash-u-202E
 * instead of acting on the terminal. Line breaks stay (they are the output's own); values are
 * escaped whole, newlines included, where they are put together ({@link Render}). JSON output stays
 * valid JSON with the same meaning: the escapes have JSON backslash-u-XXXX form and a raw control
 * character cannot occur inside a JSON string.
 */
final class EscapingWriter extends Writer {
  private final Writer target;

  /** A high surrogate whose pair has not been written yet. */
  private char pending;

  private EscapingWriter(Writer target) {
    this.target = target;
  }

  static PrintWriter printWriter(PrintWriter target) {
    return new PrintWriter(new EscapingWriter(target), true);
  }

  @Override
  public void write(char[] buf, int off, int len) throws IOException {
    StringBuilder chunk = new StringBuilder(len + 1);
    if (pending != 0) {
      chunk.append(pending);
      pending = 0;
    }
    chunk.append(buf, off, len);
    if (chunk.length() > 0 && Character.isHighSurrogate(chunk.charAt(chunk.length() - 1))) {
      pending = chunk.charAt(chunk.length() - 1);
      chunk.setLength(chunk.length() - 1);
    }
    target.write(Printable.escapeKeepingLines(chunk.toString()));
  }

  @Override
  public void flush() throws IOException {
    target.flush();
  }

  @Override
  public void close() throws IOException {
    if (pending != 0) target.write(Printable.escapeKeepingLines(String.valueOf(pending)));
    pending = 0;
    target.flush();
  }
}
