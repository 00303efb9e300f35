package dev.dbops.worker;

import java.util.Set;

/** Phase names every procedure's {@code status()} shares, as far as the CLI cares. */
public final class Phases {
  private Phases() {}

  public static final String AWAITING_APPROVAL = "AWAITING_APPROVAL";
  public static final String COMPLETED = "COMPLETED";
  public static final String FAILED = "FAILED";

  /** The run is still checking its input: a failure here is the request's fault (exit 2). */
  public static final Set<String> VALIDATING = Set.of("VALIDATING", "LISTING", "ESTIMATING");

  public static final Set<String> TERMINAL = Set.of(COMPLETED, FAILED);

  public static boolean isValidating(String phase) {
    return phase == null || VALIDATING.contains(phase);
  }
}
