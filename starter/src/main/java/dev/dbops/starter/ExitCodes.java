package dev.dbops.starter;

/** What every dbops command returns. */
public final class ExitCodes {
  private ExitCodes() {}

  /** Done, or started / waiting as asked. */
  public static final int OK = 0;
  /** The procedure failed (or completed with failures), or Temporal could not be reached. */
  public static final int FAILED = 1;
  /** The input is wrong; the message names the field and why. Nothing was changed. */
  public static final int INVALID_INPUT = 2;
}
