package dev.dbops.workflows.common;

import dev.dbops.workflows.catalog.Phases;
import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.common.interceptors.Header;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What the Temporal UI finds a run by, kept current for every procedure in one place: the run's
 * procedure, target and requester once, then its phase, what it waits for and since when, each time
 * the run is about to block (an activity, a timer, a wait), read from its own {@code status()}; its
 * outcome when it ends. The same reading keeps the run's current details (Temporal user metadata)
 * up to date: phase, what it waits for, and the command that answers it.
 *
 * <p>Only attributes the namespace has are written (an upsert of an unregistered one fails the
 * workflow task on a real server): the worker lists them at start, and a run records once, in a
 * side effect, which ones it writes, so a replay on a worker that sees another list issues the same
 * commands. Versioned ({@link #CHANGE}): histories from before carry no upserts.
 */
public final class SearchAttributesInterceptor extends WorkerInterceptorBase {
  static final String CHANGE = "search-attributes";

  public static final SearchAttributeKey<String> PROCEDURE =
      SearchAttributeKey.forKeyword("DbopsProcedure");
  public static final SearchAttributeKey<String> TARGET =
      SearchAttributeKey.forKeyword("DbopsTarget");
  public static final SearchAttributeKey<String> PHASE =
      SearchAttributeKey.forKeyword("DbopsPhase");
  public static final SearchAttributeKey<String> WAITING_FOR =
      SearchAttributeKey.forKeyword("DbopsWaitingFor");
  public static final SearchAttributeKey<OffsetDateTime> WAITING_SINCE =
      SearchAttributeKey.forOffsetDateTime("DbopsWaitingSince");
  public static final SearchAttributeKey<String> REQUESTED_BY =
      SearchAttributeKey.forKeyword("DbopsRequestedBy");
  public static final SearchAttributeKey<String> OUTCOME =
      SearchAttributeKey.forKeyword("DbopsOutcome");

  /** Every attribute, as {@code temporal operator search-attribute create} registers them. */
  public static final List<SearchAttributeKey<?>> ALL =
      List.of(PROCEDURE, TARGET, PHASE, WAITING_FOR, WAITING_SINCE, REQUESTED_BY, OUTCOME);

  /**
   * The attributes that carry a request's own values (what it acts on, who asked). Search
   * attributes are indexed by the server, so never encrypted: where the worker encrypts payloads
   * these are left out (see {@link #withoutRequestValues}) and a keyless reader of the history
   * learns only the procedure, its phase, what it waits for and how it ended.
   */
  public static final Set<String> REQUEST_VALUES = Set.of(TARGET.getName(), REQUESTED_BY.getName());

  /** {@code names} without {@link #REQUEST_VALUES}: what a payload-encrypting worker may write. */
  public static Set<String> withoutRequestValues(Set<String> names) {
    Set<String> out = new java.util.HashSet<>(names);
    out.removeAll(REQUEST_VALUES);
    return Set.copyOf(out);
  }

  /** {@code DbopsWaitingFor} values. */
  public static final String APPROVAL = "APPROVAL";

  public static final String DECISION = "DECISION";
  public static final String AWS = "AWS";
  public static final String NONE = "NONE";

  private final Supplier<Set<String>> registered;

  /**
   * @param registered the names of the attributes the namespace has, asked when a run starts
   */
  public SearchAttributesInterceptor(Supplier<Set<String>> registered) {
    this.registered = registered;
  }

  /** What a run waits for, from its status: a person's approval or decision, AWS, or nothing. */
  public static String waitingFor(String phase, String waiting) {
    if (phase == null || Phases.TERMINAL.contains(phase)) return NONE;
    if (Procedures.BINLOG_AWAITING_DECISION.equals(phase)) return DECISION;
    if (Phases.WAITING_FOR_PERSON.contains(phase)) return APPROVAL;
    return waiting == null || waiting.isBlank() ? NONE : AWS;
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new Run(next);
  }

  private final class Run extends WorkflowInboundCallsInterceptorBase {
    private final WorkflowInboundCallsInterceptor next;

    /** The attributes this run writes (recorded), null until the run has started and when off. */
    private Set<String> writes;

    private String phase;
    private String waitingFor = NONE;
    private String details;
    private Procedure<?> procedure;

    Run(WorkflowInboundCallsInterceptor next) {
      super(next);
      this.next = next;
    }

    @Override
    public void init(WorkflowOutboundCallsInterceptor outbound) {
      super.init(
          new WorkflowOutboundCallsInterceptorBase(outbound) {
            @Override
            public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
              refresh();
              return super.executeActivity(input);
            }

            @Override
            public <R> LocalActivityOutput<R> executeLocalActivity(LocalActivityInput<R> input) {
              refresh();
              return super.executeLocalActivity(input);
            }

            @Override
            public Promise<Void> newTimer(Duration duration) {
              refresh();
              return super.newTimer(duration);
            }

            @Override
            public void sleep(Duration duration) {
              refresh();
              super.sleep(duration);
            }

            @Override
            public boolean await(
                Duration timeout, String reason, Supplier<Boolean> unblockCondition) {
              refresh();
              return super.await(timeout, reason, unblockCondition);
            }

            @Override
            public void await(String reason, Supplier<Boolean> unblockCondition) {
              refresh();
              super.await(reason, unblockCondition);
            }
          });
    }

    @Override
    public WorkflowOutput execute(WorkflowInput input) {
      procedure = Procedures.byWorkflowType(Workflow.getInfo().getWorkflowType()).orElse(null);
      if (procedure == null || Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) != 1) {
        return super.execute(input);
      }
      @SuppressWarnings("unchecked")
      List<String> names =
          Workflow.sideEffect(List.class, () -> new ArrayList<>(new TreeSet<>(registered.get())));
      writes = Set.copyOf(names);
      Object request = input.getArguments().length == 0 ? null : input.getArguments()[0];
      List<SearchAttributeUpdate<?>> first = new ArrayList<>();
      add(first, PROCEDURE, procedure.name());
      if (request != null) {
        List<String> targets = safeTargets(request);
        if (!targets.isEmpty()) add(first, TARGET, String.join(",", targets));
        add(first, REQUESTED_BY, requestedBy(request));
      }
      upsert(first);
      refresh();
      try {
        WorkflowOutput out = super.execute(input);
        end(Phases.COMPLETED);
        return out;
      } catch (ApplicationFailure f) {
        end(f.getType() == null ? Phases.FAILED : f.getType());
        throw f;
      }
    }

    private List<String> safeTargets(Object request) {
      try {
        return procedure.targetsOf(request);
      } catch (RuntimeException e) {
        return List.of();
      }
    }

    private void end(String outcome) {
      refresh();
      List<SearchAttributeUpdate<?>> last = new ArrayList<>();
      add(last, OUTCOME, outcome);
      add(last, WAITING_FOR, NONE);
      if (writes.contains(WAITING_SINCE.getName())) last.add(WAITING_SINCE.valueUnset());
      upsert(last);
    }

    /** Reads the run's status; upserts what changed and sets the current details. */
    private void refresh() {
      if (writes == null) return;
      Object status;
      try {
        status =
            next.handleQuery(new QueryInput("status", Header.empty(), new Object[0])).getResult();
      } catch (RuntimeException e) {
        return;
      }
      String nowPhase = component(status, "phase");
      String waiting = component(status, "waitingFor");
      String nowWaitingFor = waitingFor(nowPhase, waiting);
      List<SearchAttributeUpdate<?>> changed = new ArrayList<>();
      if (nowPhase != null && !nowPhase.equals(phase)) add(changed, PHASE, nowPhase);
      if (!nowWaitingFor.equals(waitingFor)) {
        add(changed, WAITING_FOR, nowWaitingFor);
        if (writes.contains(WAITING_SINCE.getName())) {
          changed.add(
              NONE.equals(nowWaitingFor)
                  ? WAITING_SINCE.valueUnset()
                  : WAITING_SINCE.valueSet(
                      OffsetDateTime.ofInstant(
                          Instant.ofEpochMilli(Workflow.currentTimeMillis()), ZoneOffset.UTC)));
        }
      }
      phase = nowPhase == null ? phase : nowPhase;
      waitingFor = nowWaitingFor;
      upsert(changed);
      String nowDetails =
          RunDetails.of(
              Workflow.getInfo().getWorkflowId(), procedure, phase, nowWaitingFor, waiting);
      if (!Objects.equals(nowDetails, details)) {
        details = nowDetails;
        Workflow.setCurrentDetails(nowDetails);
      }
    }

    private void add(
        List<SearchAttributeUpdate<?>> updates, SearchAttributeKey<String> key, String value) {
      if (value != null && writes.contains(key.getName())) updates.add(key.valueSet(value));
    }

    private void upsert(List<SearchAttributeUpdate<?>> updates) {
      if (!updates.isEmpty())
        Workflow.upsertTypedSearchAttributes(updates.toArray(new SearchAttributeUpdate<?>[0]));
    }
  }

  private static String component(Object record, String name) {
    if (record == null) return null;
    try {
      Object v = record.getClass().getMethod(name).invoke(record);
      return v == null ? null : v.toString();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static String requestedBy(Object request) {
    return Optional.ofNullable(component(request, "requestedBy"))
        .filter(s -> !s.isBlank())
        .orElse(null);
  }
}
