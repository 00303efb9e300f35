package dev.dbops.starter;

/**
 * What every dbops command returns: the one list (README's table and {@code dbops --help}'s footer
 * repeat it). Unreachable Temporal becomes {@link #UNREACHABLE} in one place, {@link
 * DbopsCommand#call}.
 */
public final class ExitCodes {
  private ExitCodes() {}

  /** Done, or started / waiting as asked. */
  public static final int OK = 0;

  /** The procedure failed (or completed with failures), or the command could not do its part. */
  public static final int FAILED = 1;

  /** The input is wrong; the message names the field and why. Nothing was changed. */
  public static final int INVALID_INPUT = 2;

  /**
   * Temporal's frontend did not answer (down, wrong address, network); nothing was changed by us.
   */
  public static final int UNREACHABLE = 3;

  /**
   * {@code start --wait} or {@code watch} ended because the run waits for a person (an approval or
   * a decision).
   */
  public static final int WAITING_FOR_PERSON = 4;
}
