package dev.dbops.starter;

/** Ends a command with a message (on stderr) and an exit code. */
final class CliException extends RuntimeException {
  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  static CliException invalid(String message) {
    return new CliException(ExitCodes.INVALID_INPUT, message);
  }

  static CliException failed(String message) {
    return new CliException(ExitCodes.FAILED, message);
  }

  int exitCode() {
    return exitCode;
  }
}
