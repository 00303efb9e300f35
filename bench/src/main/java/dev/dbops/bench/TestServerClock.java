package dev.dbops.bench;

import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The sandbox reads time from the time-skipping test server, so its waits take simulated hours. */
final class TestServerClock extends Clock {
  private final TestWorkflowEnvironment env;

  TestServerClock(TestWorkflowEnvironment env) {
    this.env = env;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(env.currentTimeMillis());
  }
}
