package dev.dbops.workflows.signing;

/** A key, signature or allowed-signers line that does not parse; the message says what is wrong. */
public final class SignatureFormatException extends RuntimeException {
  public SignatureFormatException(String message) {
    super(message);
  }
}
