package dev.dbops.workflows.common;

/**
 * Base of a workflow implementation on the skeleton: owns its {@link ProcedureRun} and answers the
 * decisions every procedure takes the same way, so no workflow copies them. A workflow interface
 * that declares {@code approve}, {@code reject} or {@code abort} as signals is served by these
 * methods; one that does not simply never calls them.
 */
public abstract class ProcedureWorkflow<P extends Enum<P>> {
  protected final ProcedureRun<P> run;

  protected ProcedureWorkflow(String procedure, Class<P> phases) {
    this.run = new ProcedureRun<>(procedure, phases);
  }

  public void approve(Approval approval) {
    run.approve(approval);
  }

  public void reject(Rejection rejection) {
    run.reject(rejection);
  }

  public void abort(Abort abort) {
    run.abort(abort);
  }
}
