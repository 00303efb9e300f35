package dev.dbops.workflows.binlog;

/**
 * The one place that decides what a replication error gets under a {@link SkipPolicy}: the
 * effective skip mode, the foreign-key mode's say, the allowed errnos and the budget. The monitor
 * (a SQL-thread error), the re-applier (one statement or row of a transaction applied again) and
 * the activity (whether STATEMENT mode needs a second replica session) ask here. Pure.
 *
 * <p>Which mode a run records when its request names none is decided when the run starts ({@link
 * BinlogCatchUpRequest#withSkipModeDefault}, behind a workflow version); from then on the recorded
 * policy's {@link SkipPolicy#modeOrDefault()} is the mode, here as everywhere.
 */
public final class SkipRules {
  /** A foreign-key error under {@link ForeignKeyMode#STOP_AND_ASK}: a person decides. */
  public static final String FOREIGN_KEY = "FOREIGN_KEY";

  /** The policy does not allow this errno (or its error text does not match). */
  public static final String NOT_ALLOWED = "NOT_ALLOWED";

  /** The policy would allow it, but its budget of skips is spent. */
  public static final String BUDGET_SPENT = "BUDGET_SPENT";

  /** What the monitor does with a SQL-thread error the policy lets it get past. */
  public enum Action {
    /** STATEMENT mode: apply the transaction again minus only what conflicts. */
    REAPPLY,
    /** Skip the whole transaction (TRANSACTION mode, or an errno STATEMENT mode cannot resolve). */
    SKIP
  }

  private final SkipPolicy policy;

  private SkipRules(SkipPolicy policy) {
    this.policy = policy == null ? SkipPolicy.none() : policy;
  }

  /** The rules of a recorded policy; null (no policy) skips nothing. */
  public static SkipRules of(SkipPolicy policy) {
    return new SkipRules(policy);
  }

  public SkipPolicy policy() {
    return policy;
  }

  /**
   * The mode to act on (null in a recorded policy is TRANSACTION: see {@link
   * SkipPolicy#modeOrDefault()}).
   */
  public SkipMode mode() {
    return policy.modeOrDefault();
  }

  /**
   * Whether errors are resolved statement by statement, which needs a second session on the
   * replica.
   */
  public boolean reappliesStatements() {
    return mode() == SkipMode.STATEMENT;
  }

  /** Whether {@code errno} is a foreign-key error (1451 / 1452). */
  public static boolean foreignKey(int errno) {
    return SkipPolicy.FOREIGN_KEY.contains(errno);
  }

  /**
   * Whether a foreign-key error waits for a person (STOP_AND_ASK) rather than being applied without
   * checks.
   */
  public boolean stopsOnForeignKey(int errno) {
    return foreignKey(errno) && policy.foreignKeyModeOrDefault() == ForeignKeyMode.STOP_AND_ASK;
  }

  /** Whether writes may be applied with foreign-key checks off (DISABLE_CHECKS). */
  public boolean appliesWithoutForeignKeyChecks() {
    return policy.foreignKeyModeOrDefault() == ForeignKeyMode.DISABLE_CHECKS;
  }

  /**
   * Why the monitor may not get past a SQL-thread error by policy — {@link #FOREIGN_KEY}, {@link
   * #NOT_ALLOWED} or {@link #BUDGET_SPENT} — or null when it may.
   *
   * @param used policy skips already spent in this run segment
   * @param budgetRemaining what the run has left of the policy's budget
   */
  public String refusal(int errno, String errorText, int used, int budgetRemaining) {
    if (stopsOnForeignKey(errno)) return FOREIGN_KEY;
    if (!policy.allows(errno, errorText)) return NOT_ALLOWED;
    if (used >= budgetRemaining) return BUDGET_SPENT;
    return null;
  }

  /** How the monitor gets past an error {@link #refusal} let through. */
  public Action action(int errno) {
    return reappliesStatements() && SkipPolicy.STATEMENT_RESOLVABLE.contains(errno)
        ? Action.REAPPLY
        : Action.SKIP;
  }

  /**
   * Why a statement or row met while applying a transaction again may not be resolved — {@link
   * #FOREIGN_KEY} or {@link #NOT_ALLOWED} — or null when it may.
   */
  public String statementRefusal(int errno, String errorText) {
    if (stopsOnForeignKey(errno)) return FOREIGN_KEY;
    if (!SkipPolicy.STATEMENT_RESOLVABLE.contains(errno) || !policy.allows(errno, errorText))
      return NOT_ALLOWED;
    return null;
  }
}
