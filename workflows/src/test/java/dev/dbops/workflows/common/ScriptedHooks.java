package dev.dbops.workflows.common;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Hooks for workflow tests: records every call; the phases named in {@code failing} fail. */
public class ScriptedHooks implements HookActivities {
  public final List<HookCall> calls = new CopyOnWriteArrayList<>();
  public volatile Set<String> failing = Set.of();

  @Override
  public HookReport runHooks(HookCall call) {
    calls.add(call);
    if (failing.contains(call.phase())) {
      return new HookReport(
          List.of(
              new HookReport.HookRun(
                  call.phase() + ".sh", false, 3, "maintenance API said 503", 12)));
    }
    return new HookReport(List.of(new HookReport.HookRun(call.phase() + ".sh", true, 0, "ok", 5)));
  }

  public List<String> phases() {
    return calls.stream().map(HookCall::phase).toList();
  }
}
