package dev.dbops.starter;

import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.common.Bounds;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * A command that takes a procedure's request, as {@code --input FILE.json} or as the procedure's
 * flags (a mixin named {@value #FLAGS_MIXIN}), and refuses it before contacting the server when the
 * request's own validation finds problems.
 */
abstract class ProcedureCommand extends DbopsCommand {
  static final String FLAGS_MIXIN = "flags";

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--input",
      paramLabel = "FILE.json",
      description = "the request as JSON (the same document the Temporal UI takes)")
  Path input;

  /** The procedure's flags mixin; subclasses declare it as a field named {@value #FLAGS_MIXIN}. */
  abstract ProcedureFlags<?> flags();

  Procedure<?> procedure() {
    return flags().procedure();
  }

  /** The request, validated; exits 2 (through {@link CliException}) with every problem found. */
  Object validRequest() {
    Object request = readRequest();
    List<String> problems = procedure().problemsOf(request);
    if (!problems.isEmpty()) {
      throw CliException.invalid(
          "invalid input (nothing was started):\n  "
              + String.join("\n  ", problems.stream().map(this::named).toList()));
    }
    int size;
    try {
      size = RequestInput.STRICT.writeValueAsBytes(request).length;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the request as JSON: " + e.getMessage(), e);
    }
    if (size > Bounds.MAX_REQUEST_BYTES) {
      throw CliException.invalid(
          "invalid input (nothing was started): the request is "
              + size
              + " bytes as JSON, at most "
              + Bounds.MAX_REQUEST_BYTES
              + " (see docs/bounds.md)");
    }
    return request;
  }

  /**
   * A message about the request as this command's user should read it: the one place CLI messages
   * get flag names for request field paths ({@link FlagNames}) — for the request's own problems and
   * for what the run says about it (refusals, failures, warnings). With {@code --input} the request
   * is JSON, and its field names are the right ones.
   */
  String named(String message) {
    if (input != null) return message;
    CommandSpec flagsSpec = spec.mixins().get(FLAGS_MIXIN);
    return flagsSpec == null ? message : FlagNames.of(flagsSpec).rename(message);
  }

  /** {@code closed} with its failure message {@link #named}. */
  Runs.Closed named(Runs.Closed closed) {
    Runs.Failure f = closed.failure();
    return f == null
        ? closed
        : new Runs.Closed(
            closed.info(), closed.result(), new Runs.Failure(f.type(), named(f.message())));
  }

  private Object readRequest() {
    if (input == null) {
      return flags().toRequest();
    }
    List<String> given = givenFlags();
    if (!given.isEmpty()) {
      throw CliException.invalid(
          "--input: give the request as a file or as flags, not both"
              + " (also got "
              + String.join(", ", given)
              + ")");
    }
    return RequestInput.read(input, procedure(), currentUser());
  }

  private List<String> givenFlags() {
    CommandSpec flagsSpec = spec.mixins().get(FLAGS_MIXIN);
    if (flagsSpec == null) return List.of();
    Set<String> names =
        flagsSpec.options().stream().map(OptionSpec::longestName).collect(Collectors.toSet());
    return spec.commandLine().getParseResult().matchedOptions().stream()
        .map(OptionSpec::longestName)
        .filter(names::contains)
        .distinct()
        .toList();
  }

  /** {@code $USER}, else the JVM's user name: the default requester. */
  static String currentUser() {
    String user = System.getenv("USER");
    return user == null || user.isBlank() ? System.getProperty("user.name") : user;
  }
}
