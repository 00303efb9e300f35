package dev.dbops.worker;

import java.util.Set;

/**
 * Phase names every procedure's {@code status()} shares. Which phases only validate differs per
 * procedure: see {@link Procedure#validatingPhases()}.
 */
public final class Phases {
  private Phases() {}

  public static final String AWAITING_APPROVAL = "AWAITING_APPROVAL";
  public static final String COMPLETED = "COMPLETED";
  public static final String FAILED = "FAILED";

  public static final Set<String> TERMINAL = Set.of(COMPLETED, FAILED);
}
