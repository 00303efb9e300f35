package dev.dbops.workflows.common;

import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowLocal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one rule for reminding people while a run waits for them, used by every wait for a person:
 * {@link ApprovalGate}'s (so every procedure's approvals, hook failures and retire waits) and
 * binlog catch-up's wait for a decision.
 *
 * <p>While the wait lasts, a reminder of its notice every {@link ApprovalPolicy#remindEvery} (the
 * n-th at n × remindEvery after the wait began, default {@value #DEFAULT_REMIND_EVERY_TEXT}, at
 * most {@value #MAX_REMINDERS} per wait), and once, after {@link ApprovalPolicy#escalateAfter}
 * (default {@value #DEFAULT_ESCALATE_AFTER_TEXT}), an escalation to {@link
 * ApprovalPolicy#escalateTo} (none when nobody is named). The times are durable workflow timers, so
 * a worker restart neither skips nor repeats one; each reminder and the escalation goes out as a
 * notice whose key is the wait's key (run id, the how-many-th wait, step) and the reminder's number
 * or {@code /escalation}, so a retried notify activity or workflow task sends it once ({@link
 * WaitNotice#key}). A timer that fires late (a worker was down for hours) sends one reminder
 * numbered for the time it went out, not the ones it missed.
 *
 * <p>New timers change the commands a wait issues: runs that started before {@value #CHANGE} wait
 * as they did, with one timer and no reminder.
 */
public final class Reminders {
  /** {@code Workflow.getVersion} change id of the reminders. */
  static final String CHANGE = "person-wait-reminders";

  static final String DEFAULT_REMIND_EVERY_TEXT = "4h";
  static final String DEFAULT_ESCALATE_AFTER_TEXT = "8h";
  public static final Duration DEFAULT_REMIND_EVERY = Duration.ofHours(4);
  public static final Duration DEFAULT_ESCALATE_AFTER = Duration.ofHours(8);

  /** Reminders of one wait at most: a timer and a notice each, so history stays small. */
  public static final int MAX_REMINDERS = 200;

  private Reminders() {}

  /** A notice someone opened ({@link PeopleNotifier#waiting}) and has not yet closed. */
  private record Open(PeopleNotifier people, WaitNotice notice) {}

  private static final WorkflowLocal<Deque<Open>> OPEN =
      WorkflowLocal.withCachedInitial(ArrayDeque::new);

  static void opened(PeopleNotifier people, WaitNotice notice) {
    OPEN.get().push(new Open(people, notice));
  }

  static void closed(WaitNotice notice) {
    OPEN.get().removeIf(o -> o.notice().equals(notice));
  }

  /**
   * Waits up to {@code timeout} for {@code answered}, reminding as {@link Reminders} says with the
   * notice last opened for {@code step} ({@link PeopleNotifier#waiting}); a wait no notice
   * announced is not reminded of. True when answered, false when the time ran out.
   */
  public static boolean await(
      ApprovalPolicy policy, String step, Duration timeout, Supplier<Boolean> answered) {
    Open open = OPEN.get().peek();
    if (open == null || step == null || !step.equals(open.notice().step())) {
      return Workflow.await(timeout, answered);
    }
    return await(open.people(), open.notice(), policy, timeout, answered);
  }

  /** As {@link #await(ApprovalPolicy, String, Duration, Supplier)}, for the wait {@code notice}. */
  public static boolean await(
      PeopleNotifier people,
      WaitNotice notice,
      ApprovalPolicy policy,
      Duration timeout,
      Supplier<Boolean> answered) {
    if (Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return Workflow.await(timeout, answered);
    }
    // A timeout no timer can hold fails here, at the wait's first task, as the single timer did.
    com.google.protobuf.util.Durations.fromMillis(timeout.toMillis());
    Schedule schedule = Schedule.of(policy, timeout);
    long start = Workflow.currentTimeMillis();
    int reminded = 0;
    boolean escalated = false;
    while (true) {
      Duration waited = Duration.ofMillis(Workflow.currentTimeMillis() - start);
      Duration next = schedule.next(reminded, escalated);
      if (awaitOrCancel(next.minus(waited), answered)) return true;
      waited = Duration.ofMillis(Workflow.currentTimeMillis() - start);
      if (waited.compareTo(timeout) >= 0) return false;
      String shown = Bounds.human(waited.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
      if (schedule.escalationDue(waited, escalated)) {
        escalated = true;
        people.notice(notice.asEscalation(schedule.escalateTo(), shown));
      }
      int due = schedule.reminderDue(waited, reminded);
      if (due > reminded) {
        reminded = due;
        people.notice(notice.asReminder(due, shown));
      }
    }
  }

  /**
   * True as soon as {@code answered}; false when {@code d} elapsed first. The timer is cancelled
   * when answered: a timer left behind would fire later and wake the run for nothing.
   */
  private static boolean awaitOrCancel(Duration d, Supplier<Boolean> answered) {
    io.temporal.workflow.Promise<?>[] timer = new io.temporal.workflow.Promise<?>[1];
    io.temporal.workflow.CancellationScope scope =
        Workflow.newCancellationScope(() -> timer[0] = Workflow.newTimer(d));
    scope.run();
    Workflow.await(() -> timer[0].isCompleted() || answered.get());
    if (timer[0].isCompleted() && !answered.get()) {
      timer[0].get(); // a run cancelled while waiting: the timer's CanceledFailure, as before
      return false;
    }
    if (!timer[0].isCompleted()) scope.cancel();
    return true;
  }

  /**
   * When the reminders and the escalation of one wait are due, counted from its start: pure, so
   * tests read it without a workflow.
   */
  record Schedule(
      Duration remindEvery, List<String> escalateTo, Duration escalateAfter, Duration timeout) {
    static Schedule of(ApprovalPolicy policy, Duration timeout) {
      ApprovalPolicy p = policy == null ? new ApprovalPolicy(List.of(), null, null) : policy;
      return new Schedule(
          p.remindEveryOrDefault(), p.escalateToOrEmpty(), p.escalateAfterOrDefault(), timeout);
    }

    /** The next moment something is due (a reminder, the escalation, the end of the wait). */
    Duration next(int reminded, boolean escalated) {
      Duration next = timeout;
      if (reminded < MAX_REMINDERS) next = min(next, remindEvery.multipliedBy(reminded + 1L));
      if (!escalated && !escalateTo.isEmpty()) next = min(next, escalateAfter);
      return next;
    }

    /** The number of the reminder due after {@code waited}, or {@code reminded} if none is. */
    int reminderDue(Duration waited, int reminded) {
      if (reminded >= MAX_REMINDERS) return reminded;
      long n = Math.min(MAX_REMINDERS, waited.toMillis() / remindEvery.toMillis());
      return (int) Math.max(reminded, n);
    }

    boolean escalationDue(Duration waited, boolean escalated) {
      return !escalated && !escalateTo.isEmpty() && waited.compareTo(escalateAfter) >= 0;
    }

    private static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }
  }

  /**
   * Problems with {@code p}'s reminder and escalation fields; {@code field} prefixes each message.
   * Each is about a field the request set, so runs recorded before the fields existed meet none.
   */
  static List<String> problems(ApprovalPolicy p, String field) {
    List<String> out = new ArrayList<>();
    Duration timeout = p.timeoutOrDefault();
    Duration every = p.remindEvery();
    if (every != null && (every.isNegative() || every.isZero())) {
      out.add(field + ".remindEvery: must be positive, was " + Bounds.human(every));
    } else if (every != null && timeout.toMillis() / every.toMillis() > MAX_REMINDERS) {
      out.add(
          field
              + ".remindEvery: "
              + Bounds.human(every)
              + " would remind "
              + timeout.toMillis() / every.toMillis()
              + " times within "
              + field
              + ".timeout "
              + Bounds.human(timeout)
              + "; at most "
              + MAX_REMINDERS);
    }
    for (String n : p.escalateToOrEmpty()) {
      if (n == null || n.isBlank()) {
        out.add(field + ".escalateTo: blank name");
      } else if (ApprovalPolicy.hasControlCharacter(n)) {
        out.add(
            field
                + ".escalateTo: '"
                + ApprovalPolicy.printable(n)
                + "' contains a control character");
      }
    }
    Duration after = p.escalateAfter();
    if (after != null && (after.isNegative() || after.isZero())) {
      out.add(field + ".escalateAfter: must be positive, was " + Bounds.human(after));
    } else if (after != null && p.escalateToOrEmpty().isEmpty()) {
      out.add(
          field + ".escalateAfter: set, but nobody to escalate to; name " + field + ".escalateTo");
    } else if (!p.escalateToOrEmpty().isEmpty()
        && p.escalateAfterOrDefault().compareTo(timeout) >= 0) {
      out.add(
          field
              + ".escalateAfter: "
              + Bounds.human(p.escalateAfterOrDefault())
              + (after == null ? " (the default)" : "")
              + " is not before "
              + field
              + ".timeout "
              + Bounds.human(timeout)
              + ", so the escalation could never go out");
    }
    return out;
  }
}
