package dev.dbops.starter;

import dev.dbops.worker.TemporalConnection;
import dev.dbops.worker.WorkerConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every subcommand: output goes to picocli's writers (so tests can capture it), and
 * the few ways a command ends early become an exit code and one clear line.
 */
abstract class DbopsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Override
  public final Integer call() throws Exception {
    try {
      return run();
    } catch (CliException e) {
      err().println(e.getMessage());
      return e.exitCode();
    } catch (WorkerConfig.InvalidConfigException e) {
      err().println("invalid configuration: " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    } catch (TemporalConnection.UnreachableException e) {
      err().println(e.getMessage());
      return ExitCodes.FAILED;
    } catch (RuntimeException e) {
      if (TemporalConnection.isUnreachable(e)) {
        err().println("lost the connection to Temporal: " + e.getMessage());
        return ExitCodes.FAILED;
      }
      throw e;
    } finally {
      out().flush();
      err().flush();
    }
  }

  protected abstract int run() throws Exception;
}
