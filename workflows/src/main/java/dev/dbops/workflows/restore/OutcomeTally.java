package dev.dbops.workflows.restore;

import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.common.ProcedureRun;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Per-object outcomes of a run as they arrive, counted for status() and kept for the result. */
final class OutcomeTally {
  private final List<ObjectOutcome> outcomes = new ArrayList<>();
  private int delivered;
  private int failed;

  void record(ObjectOutcome o) {
    outcomes.add(o);
    if (o.failed()) {
      failed++;
    } else if (ObjectOutcome.DELIVERED.equals(o.outcome())) {
      delivered++;
    }
  }

  void recordAll(List<ObjectInfo> objects, String outcome, Function<ObjectInfo, String> detail) {
    for (ObjectInfo o : objects) record(ObjectOutcome.of(o, outcome, detail.apply(o)));
  }

  int delivered() {
    return delivered;
  }

  int failed() {
    return failed;
  }

  /** Objects per outcome. */
  Map<String, Integer> counts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    outcomes.forEach(o -> counts.merge(o.outcome(), 1, Integer::sum));
    return counts;
  }

  /** Every failure, then the rest up to {@code max} in all (history payloads are bounded). */
  List<ObjectOutcome> kept(int max) {
    List<ObjectOutcome> kept = new ArrayList<>();
    outcomes.stream().filter(ObjectOutcome::failed).forEach(kept::add);
    for (ObjectOutcome o : outcomes) {
      if (kept.size() >= max) break;
      if (!o.failed()) kept.add(o);
    }
    return kept;
  }

  int size() {
    return outcomes.size();
  }

  /** Why a batch failed, for each of its objects; a poll that ran out of time reached the limit. */
  static String whyFailed(ActivityFailure f) {
    if (ProcedureRun.ranOutOfTime(f)) {
      return ErrorTypes.WAIT_TIMEOUT
          + ": not ready within the wait limit ("
          + lastMessage(f.getCause())
          + ")";
    }
    if (f.getCause() instanceof ApplicationFailure af) {
      return af.getType() + ": " + af.getOriginalMessage();
    }
    return f.getCause() == null ? f.getMessage() : f.getCause().getMessage();
  }

  private static String lastMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) c = c.getCause();
    return c instanceof ApplicationFailure af ? af.getOriginalMessage() : c.getMessage();
  }
}
