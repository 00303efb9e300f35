package dev.dbops.starter.campaign;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The campaign's table, its summary line, and whether it passed. */
public record CampaignReport(long seed, List<RunReport> runs, Duration took, int workersStarted) {

  public CampaignReport {
    runs = List.copyOf(runs);
  }

  public long completed() {
    return runs.stream().filter(RunReport::completed).count();
  }

  public int duplicates() {
    return runs.stream().mapToInt(RunReport::duplicates).sum();
  }

  public boolean passed() {
    return runs.stream().allMatch(RunReport::passed);
  }

  /** {@code N/N completed, 0 duplicated side effects}. */
  public String summary() {
    return completed()
        + "/"
        + runs.size()
        + " completed, "
        + duplicates()
        + " duplicated side effects";
  }

  public void print(PrintWriter out) {
    out.println();
    out.printf(
        "%-3s  %-15s  %-44s  %-48s  %-22s  %6s  %-8s  %s%n",
        "run", "procedure", "workflow id", "kill", "outcome", "time", "approval", "side effects");
    for (RunReport r : runs) {
      out.printf(
          "%3d  %-15s  %-44s  %-48s  %-22s  %6s  %-8s  %s%n",
          r.plan().number(),
          r.plan().procedure().cliName(),
          r.workflowId(),
          r.plan().describeKill(),
          r.outcome(),
          seconds(r.took()),
          r.approvals(),
          String.join(", ", r.effects()));
    }
    out.println();
    out.println("where each worker died:");
    for (RunReport r : runs) out.println("  run " + r.plan().number() + ": " + r.killNote());
    List<RunReport> broken = runs.stream().filter(r -> !r.passed()).toList();
    if (!broken.isEmpty()) {
      out.println();
      out.println("what broke:");
      for (RunReport r : broken) {
        for (String p : r.problems())
          out.println("  run " + r.plan().number() + " (" + r.workflowId() + "): " + p);
        if (r.problems().isEmpty())
          out.println("  run " + r.plan().number() + " (" + r.workflowId() + "): " + r.outcome());
      }
    }
    out.println();
    out.println(
        "seed "
            + seed
            + ", "
            + runs.size()
            + " runs, "
            + workersStarted
            + " workers started, "
            + runs.stream().filter(r -> r.plan().killPoint() != KillPoint.NONE).count()
            + " planned kills, "
            + minutes(took));
    out.println(summary());
    out.flush();
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }

  static String minutes(Duration d) {
    return String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
  }
}
