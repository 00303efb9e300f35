package dev.dbops.workflows.binlog;

import static dev.dbops.workflows.common.MysqlErrno.*;

import dev.dbops.workflows.common.MysqlErrno;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which replication errors the monitor may skip without asking.
 *
 * @param allowedErrnos e.g. 1062 (duplicate key), 1032 (row not found)
 * @param errorPattern optional regex the error text must also match
 * @param budget at most this many skips by policy; past it, a person decides (default 100)
 * @param foreignKeyMode what 1451/1452 do (default STOP_AND_ASK)
 * @param mode STATEMENT (apply it again minus only the conflicting statement or row; what a run
 *     started without a mode is given, {@link #DEFAULT_MODE}) or TRANSACTION (skip the whole
 *     transaction; an explicit choice). null — as in requests recorded before STATEMENT became the
 *     default — still means TRANSACTION for those runs: the default is resolved into the request
 *     when a run starts ({@link #withModeDefault()}), never read from null
 * @param onDuplicateKey STATEMENT mode, 1062 (default KEEP_REPLICA_ROW)
 * @param onMissingRow STATEMENT mode, 1032 (default SKIP_CHANGE)
 */
public record SkipPolicy(
    List<Integer> allowedErrnos,
    String errorPattern,
    Integer budget,
    ForeignKeyMode foreignKeyMode,
    SkipMode mode,
    DuplicateKeyResolution onDuplicateKey,
    MissingRowResolution onMissingRow) {
  /** The mode a run started without one gets: zero collateral wherever the events allow it. */
  public static final SkipMode DEFAULT_MODE = SkipMode.STATEMENT;

  /** Errnos STATEMENT mode resolves statement by statement or row by row. */
  public static final List<Integer> STATEMENT_RESOLVABLE =
      MysqlErrno.codes(ER_DUP_ENTRY, ER_KEY_NOT_FOUND, ER_NO_REFERENCED_ROW_2);

  /**
   * TRANSACTION mode, as every policy was before STATEMENT mode (and as recorded histories have
   * it).
   */
  public SkipPolicy(
      List<Integer> allowedErrnos,
      String errorPattern,
      Integer budget,
      ForeignKeyMode foreignKeyMode) {
    this(allowedErrnos, errorPattern, budget, foreignKeyMode, null, null, null);
  }

  /** Errnos the policy may name: SQL-thread apply errors that skipping can get past. */
  public static final List<Integer> SKIPPABLE =
      MysqlErrno.codes(
          ER_DB_CREATE_EXISTS,
          ER_DB_DROP_EXISTS,
          ER_TABLE_EXISTS_ERROR,
          ER_BAD_TABLE_ERROR,
          ER_BAD_FIELD_ERROR,
          ER_DUP_FIELDNAME,
          ER_DUP_KEYNAME,
          ER_DUP_ENTRY,
          ER_MULTIPLE_PRI_KEY,
          ER_CANT_DROP_FIELD_OR_KEY,
          ER_NO_SUCH_TABLE,
          ER_KEY_NOT_FOUND,
          ER_ROW_IS_REFERENCED_2,
          ER_NO_REFERENCED_ROW_2,
          ER_DUP_KEY,
          ER_WRONG_VALUE_COUNT_ON_ROW,
          ER_NO_DEFAULT_FOR_FIELD,
          ER_DATA_TOO_LONG,
          ER_WARN_DATA_OUT_OF_RANGE);

  public static SkipPolicy none() {
    return new SkipPolicy(List.of(), null, 0, ForeignKeyMode.STOP_AND_ASK);
  }

  public int budgetOrDefault() {
    return budget == null ? 100 : budget;
  }

  public ForeignKeyMode foreignKeyModeOrDefault() {
    return foreignKeyMode == null ? ForeignKeyMode.STOP_AND_ASK : foreignKeyMode;
  }

  /** The mode to act on: TRANSACTION for null (a request recorded before {@link #DEFAULT_MODE}). */
  public SkipMode modeOrDefault() {
    return mode == null ? SkipMode.TRANSACTION : mode;
  }

  /** This policy with {@link #DEFAULT_MODE} when it names no mode: what a new run records. */
  public SkipPolicy withModeDefault() {
    return mode != null
        ? this
        : new SkipPolicy(
            allowedErrnos,
            errorPattern,
            budget,
            foreignKeyMode,
            DEFAULT_MODE,
            onDuplicateKey,
            onMissingRow);
  }

  public DuplicateKeyResolution onDuplicateKeyOrDefault() {
    return onDuplicateKey == null ? DuplicateKeyResolution.KEEP_REPLICA_ROW : onDuplicateKey;
  }

  public MissingRowResolution onMissingRowOrDefault() {
    return onMissingRow == null ? MissingRowResolution.SKIP_CHANGE : onMissingRow;
  }

  public List<Integer> allowedOrEmpty() {
    return allowedErrnos == null ? List.of() : allowedErrnos;
  }

  /** Whether the policy allows skipping this error (budget is the caller's business). */
  public boolean allows(int errno, String errorText) {
    if (!allowedOrEmpty().contains(errno)) return false;
    return errorPattern == null
        || Pattern.compile(errorPattern).matcher(errorText == null ? "" : errorText).find();
  }

  /** Foreign-key errnos: the policy skips them only under {@link ForeignKeyMode#DISABLE_CHECKS}. */
  public static final List<Integer> FOREIGN_KEY =
      MysqlErrno.codes(ER_ROW_IS_REFERENCED_2, ER_NO_REFERENCED_ROW_2);

  /**
   * Allowed errnos the policy could never skip under its own modes — the monitor would stop at the
   * first one and wait for a person, as if it were not listed: refused, naming what would make it
   * apply. 1451 / 1452 are skipped only with foreign-key checks disabled; a budget of 0 skips
   * nothing.
   */
  private List<String> neverApplies(String field) {
    List<String> out = new ArrayList<>();
    if (foreignKeyModeOrDefault() != ForeignKeyMode.DISABLE_CHECKS) {
      for (Integer e : allowedOrEmpty()) {
        if (e != null && FOREIGN_KEY.contains(e)) {
          out.add(
              field
                  + ".allowedErrnos: "
                  + e
                  + " is never skipped while "
                  + field
                  + ".foreignKeyMode is "
                  + foreignKeyModeOrDefault()
                  + " (a foreign-key error then waits for a person); set "
                  + field
                  + ".foreignKeyMode to DISABLE_CHECKS or leave "
                  + e
                  + " out");
        }
      }
    }
    if (budgetOrDefault() == 0 && !allowedOrEmpty().isEmpty()) {
      out.add(
          field
              + ".budget: 0 lets none of "
              + field
              + ".allowedErrnos "
              + allowedOrEmpty()
              + " be skipped; give a budget of at least 1 or leave the errnos out");
    }
    return out;
  }

  List<String> problems(String field) {
    return problems(field, true);
  }

  /**
   * @param neverApplyRules refuse errnos the policy could never skip ({@link #neverApplies}); off
   *     only for requests recorded before that rule
   */
  List<String> problems(String field, boolean neverApplyRules) {
    List<String> out = new ArrayList<>();
    for (Integer e : allowedOrEmpty()) {
      if (e == null || !SKIPPABLE.contains(e)) {
        out.add(
            field
                + ".allowedErrnos: "
                + e
                + " is not an apply error that skipping can get past"
                + " (known: "
                + SKIPPABLE
                + ")");
      }
    }
    if (errorPattern != null) {
      try {
        Pattern.compile(errorPattern);
      } catch (PatternSyntaxException e) {
        out.add(field + ".errorPattern: not a regular expression (" + e.getDescription() + ")");
      }
    }
    if (budgetOrDefault() < 0) out.add(field + ".budget: must not be negative, was " + budget);
    if (neverApplyRules) out.addAll(neverApplies(field));
    if (modeOrDefault() == SkipMode.TRANSACTION) {
      if (onDuplicateKey != null) {
        out.add(
            field
                + ".onDuplicateKey: only STATEMENT mode resolves a duplicate key row by row (mode is TRANSACTION)");
      }
      if (onMissingRow != null) {
        out.add(
            field
                + ".onMissingRow: only STATEMENT mode resolves a missing row row by row (mode is TRANSACTION)");
      }
    } else {
      for (Integer e : allowedOrEmpty()) {
        if (e != null && SKIPPABLE.contains(e) && !STATEMENT_RESOLVABLE.contains(e)) {
          out.add(
              field
                  + ".allowedErrnos: "
                  + e
                  + " cannot be resolved statement by statement; STATEMENT mode"
                  + " resolves "
                  + STATEMENT_RESOLVABLE
                  + " (use mode TRANSACTION to skip whole transactions)");
        }
      }
    }
    return out;
  }
}
