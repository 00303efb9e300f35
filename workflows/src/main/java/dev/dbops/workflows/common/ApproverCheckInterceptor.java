package dev.dbops.workflows.common;

import dev.dbops.workflows.signing.SignedDecision;
import io.temporal.common.converter.EncodedValues;
import io.temporal.common.interceptors.Header;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.DynamicUpdateHandler;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.Workflow;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks who sent an approve / reject / decide / abort before the workflow's handler sees it, in
 * one place for every procedure: the worker's {@link Verifier} (the allowed-signers file and the
 * worker's clock) judges the signature, and the verdict travels on the payload as its {@link
 * SignedSignal#check()} (whatever the sender put there is overwritten); the handler records a
 * refused one as refused ({@link SignedSignal#refusal}).
 *
 * <p>The verdict is computed in a {@code Workflow.sideEffect}: it reads a file and a clock, so it
 * runs once, is recorded in the history, and a replay reads the recorded verdict instead of
 * verifying again against a file that may have changed since. A signature verified once in a run is
 * refused when it comes again. Versioned ({@link #CHANGE}): signals in histories from before carry
 * no verdict and replay as they ran.
 *
 * <p>The same four decisions are also Workflow Updates of the same names, answered here for every
 * procedure ({@link DecisionUpdates}): the validator refuses at once (nothing in history), an
 * accepted update is handled as the signal would be and returns the record the run made.
 */
public final class ApproverCheckInterceptor extends WorkerInterceptorBase {
  static final String CHANGE = "approver-signature-check";

  /** Query name the CLI asks for how this worker checks approvers ({@link Verifier#describe()}). */
  public static final String QUERY = "dbops.approverCheck";

  static final Set<String> SIGNALS = Set.of("approve", "reject", "decide", "abort");

  /** The worker's side: reads the allowed signers and the clock. Called outside replay only. */
  public interface Verifier {
    ApproverCheck check(SignedDecision decision, String signature);

    /** One line for status: verified against what, or unverified. */
    String describe();
  }

  /** {@link #QUERY}, registered on every run the interceptor sees. */
  public interface DescribeQuery {
    @QueryMethod(name = QUERY)
    String approverCheck();
  }

  private final Verifier verifier;
  private final String description;

  public ApproverCheckInterceptor(Verifier verifier) {
    this.verifier = verifier;
    this.description = verifier.describe();
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      private final Set<String> used = new HashSet<>();

      /**
       * The worker's verdict on {@code s}, recorded in a side effect (versioned, see the class).
       */
      private SignedSignal judged(SignedSignal s) {
        var info = Workflow.getInfo();
        SignedDecision d =
            new SignedDecision(
                info.getWorkflowId(),
                info.getRunId(),
                s.step(),
                s.decision(),
                s.by(),
                s.text(),
                s.at());
        ApproverCheck check =
            Workflow.sideEffect(ApproverCheck.class, () -> verifier.check(d, s.signature()));
        if (check.verifies() && !used.add(s.signature())) {
          check =
              ApproverCheck.refused(
                  "this signature was already used in this run; sign this decision anew");
        }
        return s.withCheck(check);
      }

      /**
       * An update's validator: the same verdict, judged directly (a validator records nothing and
       * is not run on replay), then the run's own rule ({@link DecisionUpdates}). Throws the
       * refusal.
       */
      private void validate(String name, EncodedValues args) {
        DecisionUpdates.Rule<?> rule = SIGNALS.contains(name) ? DecisionUpdates.rule(name) : null;
        if (rule == null) {
          throw ApplicationFailure.newNonRetryableFailure(
              "this run takes no " + name, DecisionUpdates.REFUSED);
        }
        SignedSignal s = args.get(0, rule.type());
        String refusal = s == null ? "the " + name + " payload is missing" : null;
        if (refusal == null) {
          var info = Workflow.getInfo();
          ApproverCheck check =
              verifier.check(
                  new SignedDecision(
                      info.getWorkflowId(),
                      info.getRunId(),
                      s.step(),
                      s.decision(),
                      s.by(),
                      s.text(),
                      s.at()),
                  s.signature());
          if (check.verifies() && used.contains(s.signature())) {
            check =
                ApproverCheck.refused(
                    "this signature was already used in this run; sign this decision anew");
          }
          refusal = DecisionUpdates.validate(rule, s.withCheck(check));
        }
        if (refusal != null)
          throw ApplicationFailure.newNonRetryableFailure(refusal, DecisionUpdates.REFUSED);
      }

      /**
       * An accepted update: the signal path (verdict recorded, handler run); returns the record it
       * made.
       */
      private ApprovalRecord apply(String name, EncodedValues args) {
        DecisionUpdates.Rule<?> rule = DecisionUpdates.rule(name);
        int before = rule.records().get().size();
        handleSignal(
            new SignalInput(name, new Object[] {args.get(0, rule.type())}, 0, Header.empty()));
        List<ApprovalRecord> after = rule.records().get();
        return after.size() > before ? after.get(before) : null;
      }

      @Override
      public void handleSignal(SignalInput input) {
        Object[] args = input.getArguments();
        if (SIGNALS.contains(input.getSignalName())
            && args != null
            && args.length == 1
            && args[0] instanceof SignedSignal s
            && Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) == 1) {
          input =
              new SignalInput(
                  input.getSignalName(),
                  new Object[] {judged(s)},
                  input.getEventId(),
                  input.getHeader());
        }
        super.handleSignal(input);
      }

      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        Workflow.registerListener(
            new DescribeQuery() {
              @Override
              public String approverCheck() {
                return description;
              }
            });
        Workflow.registerListener(
            new DynamicUpdateHandler() {
              @Override
              public void handleValidate(String name, EncodedValues args) {
                validate(name, args);
              }

              @Override
              public Object handleExecute(String name, EncodedValues args) {
                return apply(name, args);
              }
            });
        return super.execute(input);
      }
    };
  }
}
