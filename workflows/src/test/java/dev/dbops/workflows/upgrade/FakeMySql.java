package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.ErrorTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

class FakeMySql implements MySqlCheckActivities {
  final FakeRds rds;
  final AtomicInteger verifyCalls = new AtomicInteger();
  volatile PrecheckReport report =
      new PrecheckReport("5.6.10", List.of(), List.of(), 12, "421", 2_000);

  FakeMySql(FakeRds rds) {
    this.rds = rds;
  }

  @Override
  public PrecheckReport precheck(DbEndpoint endpoint) {
    return report;
  }

  @Override
  public VerifyReport verify(VerifySpec spec) {
    verifyCalls.incrementAndGet();
    String v = rds.version.startsWith("5.7") ? "5.7.12" : "5.6.10";
    if (!v.startsWith(spec.expectedVersionPrefix())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "VERSION() is " + v, ErrorTypes.VERIFY_FAILED);
    }
    return new VerifyReport(v, spec.smokeSql().stream().map(s -> s + " -> 1").toList());
  }
}
