package dev.dbops.workflows.common;

import dev.dbops.workflows.signing.SignedDecision;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.Workflow;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks who sent an approve / reject / decide / abort before the workflow's handler sees it, in
 * one place for every procedure: the worker's {@link Verifier} (the allowed-signers file and the
 * worker's clock) judges the signature, and the verdict travels on the payload as its
 * {@link SignedSignal#check()} (whatever the sender put there is overwritten); the handler records
 * a refused one as refused ({@link SignedSignal#refusal}).
 *
 * <p>The verdict is computed in a {@code Workflow.sideEffect}: it reads a file and a clock, so it
 * runs once, is recorded in the history, and a replay reads the recorded verdict instead of
 * verifying again against a file that may have changed since. A signature verified once in a run
 * is refused when it comes again. Versioned ({@link #CHANGE}): signals in histories from before
 * carry no verdict and replay as they ran.
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

      @Override
      public void handleSignal(SignalInput input) {
        Object[] args = input.getArguments();
        if (SIGNALS.contains(input.getSignalName()) && args != null && args.length == 1
            && args[0] instanceof SignedSignal s
            && Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) == 1) {
          var info = Workflow.getInfo();
          SignedDecision d = new SignedDecision(info.getWorkflowId(), info.getRunId(), s.step(),
              s.decision(), s.by(), s.text(), s.at());
          ApproverCheck check = Workflow.sideEffect(ApproverCheck.class, () -> verifier.check(d, s.signature()));
          if (check.verifies() && !used.add(s.signature())) {
            check = ApproverCheck.refused("this signature was already used in this run; sign this decision anew");
          }
          input = new SignalInput(input.getSignalName(), new Object[] {s.withCheck(check)},
              input.getEventId(), input.getHeader());
        }
        super.handleSignal(input);
      }

      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        Workflow.registerListener(new DescribeQuery() {
          @Override
          public String approverCheck() {
            return description;
          }
        });
        return super.execute(input);
      }
    };
  }
}
