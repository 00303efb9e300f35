package dev.dbops.starter;

import dev.dbops.workflows.catalog.Procedure;

/**
 * A procedure's request as command-line flags: a picocli mixin that builds the same request the
 * JSON input (or the Temporal UI) would give.
 */
interface ProcedureFlags<R> {
  Procedure<R> procedure();

  /**
   * The request these flags describe. Contradictory flags raise an invalid-input {@link
   * CliException}; everything else is left to the request's own {@code problems()}.
   */
  R toRequest();
}
