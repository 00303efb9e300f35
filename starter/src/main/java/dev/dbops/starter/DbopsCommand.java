package dev.dbops.starter;

import dev.dbops.client.DbopsConfig;
import dev.dbops.client.TemporalConnection;
import dev.dbops.workflows.common.Bounds;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * Base of every subcommand: output goes to picocli's writers (so tests can capture it), and the few
 * ways a command ends early become an exit code and one clear line.
 */
abstract class DbopsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private PrintWriter out;
  private PrintWriter err;

  /**
   * Standard output, through {@link EscapingWriter}: no control or format character a value carries
   * (an escape sequence, a bidi override) reaches the terminal, whatever path printed it.
   */
  protected PrintWriter out() {
    if (out == null) out = EscapingWriter.printWriter(spec.commandLine().getOut());
    return out;
  }

  /** Standard error, escaped as {@link #out}. */
  protected PrintWriter err() {
    if (err == null) err = EscapingWriter.printWriter(spec.commandLine().getErr());
    return err;
  }

  @Override
  public final Integer call() throws Exception {
    try {
      String tooLong = oversizedFlag(spec);
      if (tooLong != null) {
        err().println(tooLong);
        return ExitCodes.INVALID_INPUT;
      }
      return run();
    } catch (CliException e) {
      err().println(e.getMessage());
      return e.exitCode();
    } catch (DbopsConfig.InvalidConfigException e) {
      err().println("invalid configuration: " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    } catch (TemporalConnection.UnreachableException e) {
      err().println(e.getMessage());
      return ExitCodes.UNREACHABLE;
    } catch (RuntimeException e) {
      if (TemporalConnection.isUnreachable(e)) {
        err().println("lost the connection to Temporal: " + e.getMessage());
        return ExitCodes.UNREACHABLE;
      }
      throw e;
    } finally {
      out().flush();
      err().flush();
    }
  }

  protected abstract int run() throws Exception;

  /**
   * Why a flag value is refused for its size, or null: any value longer than {@link
   * Bounds#MAX_FLAG_CHARS}, and a flag naming a field of {@link Bounds#FIELDS} with a text bound
   * ({@code --comment}, {@code --reason}, {@code --by}, {@code --requested-by}) longer than that
   * bound — checked here, before anything is sent, as the run's handlers check it again.
   */
  static String oversizedFlag(CommandSpec spec) {
    ParseResult parsed = spec.commandLine().getParseResult();
    if (parsed == null) return null;
    for (OptionSpec o : parsed.matchedOptions()) {
      Bounds.Range text = Bounds.FIELDS.get(camel(o.longestName()));
      int max =
          text != null && text.min() instanceof Integer
              ? (Integer) text.max()
              : Bounds.MAX_FLAG_CHARS;
      for (String v : o.originalStringValues()) {
        if (v != null && v.length() > max) {
          return o.longestName()
              + ": at most "
              + max
              + " characters, was "
              + v.length()
              + " (nothing was sent)";
        }
      }
    }
    for (PositionalParamSpec p : parsed.matchedPositionals()) {
      for (String v : p.originalStringValues()) {
        if (v != null && v.length() > Bounds.MAX_FLAG_CHARS) {
          return p.paramLabel()
              + ": at most "
              + Bounds.MAX_FLAG_CHARS
              + " characters, was "
              + v.length()
              + " (nothing was sent)";
        }
      }
    }
    return null;
  }

  /** {@code --requested-by} as the field name {@code requestedBy}. */
  static String camel(String flag) {
    String name = flag.replaceFirst("^-+", "");
    StringBuilder sb = new StringBuilder();
    boolean up = false;
    for (char c : name.toCharArray()) {
      if (c == '-') {
        up = true;
      } else {
        sb.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return sb.toString();
  }
}
