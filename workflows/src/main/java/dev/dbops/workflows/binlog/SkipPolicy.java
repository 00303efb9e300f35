package dev.dbops.workflows.binlog;

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
 */
public record SkipPolicy(List<Integer> allowedErrnos, String errorPattern, Integer budget,
    ForeignKeyMode foreignKeyMode) {
  /** Errnos the policy may name: SQL-thread apply errors that skipping can get past. */
  public static final List<Integer> SKIPPABLE = List.of(1007, 1008, 1050, 1051, 1054, 1060, 1061,
      1062, 1068, 1091, 1146, 1032, 1451, 1452, 1022, 1136, 1364, 1406, 1264);

  public static SkipPolicy none() {
    return new SkipPolicy(List.of(), null, 0, ForeignKeyMode.STOP_AND_ASK);
  }

  public int budgetOrDefault() {
    return budget == null ? 100 : budget;
  }

  public ForeignKeyMode foreignKeyModeOrDefault() {
    return foreignKeyMode == null ? ForeignKeyMode.STOP_AND_ASK : foreignKeyMode;
  }

  public List<Integer> allowedOrEmpty() {
    return allowedErrnos == null ? List.of() : allowedErrnos;
  }

  /** Whether the policy allows skipping this error (budget is the caller's business). */
  public boolean allows(int errno, String errorText) {
    if (!allowedOrEmpty().contains(errno)) return false;
    return errorPattern == null || Pattern.compile(errorPattern).matcher(errorText == null ? "" : errorText).find();
  }

  List<String> problems(String field) {
    List<String> out = new ArrayList<>();
    for (Integer e : allowedOrEmpty()) {
      if (e == null || !SKIPPABLE.contains(e)) {
        out.add(field + ".allowedErrnos: " + e + " is not an apply error that skipping can get past"
            + " (known: " + SKIPPABLE + ")");
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
    return out;
  }
}
