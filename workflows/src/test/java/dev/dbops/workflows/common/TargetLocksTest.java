package dev.dbops.workflows.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.restore.Delivery;
import dev.dbops.workflows.restore.DeliveryMode;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every spelling of one target is one lock; different targets stay apart. */
class TargetLocksTest {
  @Test
  void givenSpellingsOfOneTarget_whenNamed_thenOneLockId() {
    assertEquals(
        TargetLocks.lockId(TargetLocks.cluster("Prod-Main")),
        TargetLocks.lockId(TargetLocks.cluster(" prod-main")));
    assertEquals(
        TargetLocks.dnsRecord("Z1", "DB.Staging.Internal"),
        TargetLocks.dnsRecord("Z1", "db.staging.internal."));
    assertEquals(TargetLocks.directory("/data/in"), TargetLocks.directory("/data//in/./"));
    assertEquals(TargetLocks.directory("/data/in"), TargetLocks.directory("/data/x/../in"));
    DbLogin login = new DbLogin("u", "env:P");
    assertEquals(
        new DbTarget("localhost", 3307, login).lockTarget(),
        new DbTarget("127.0.0.1", 3307, login).lockTarget());
    assertEquals(
        new DbTarget("DB.example.", 3306, login).lockTarget(),
        new DbTarget("db.example", 3306, login).lockTarget());
  }

  @Test
  void givenDifferentTargets_whenNamed_thenDifferentLockIds() {
    assertNotEquals(TargetLocks.cluster("a"), TargetLocks.cluster("b"));
    assertNotEquals(TargetLocks.directory("/data/in"), TargetLocks.directory("data/in"));
    DbLogin login = new DbLogin("u", "env:P");
    assertNotEquals(
        new DbTarget("localhost", 3307, login).lockTarget(),
        new DbTarget("localhost", 3308, login).lockTarget());
    assertNotEquals(TargetLocks.s3("b", "logs/"), TargetLocks.s3("b", "Logs/"));
  }

  @Test
  void givenAnyTarget_whenNamed_thenTheIdIsShortDistinctAndNamesNothingOfIt() {
    String a = TargetLocks.directory("/" + "x".repeat(2000) + "/a");
    String b = TargetLocks.directory("/" + "x".repeat(2000) + "/b");
    assertEquals(TargetLocks.PREFIX.length() + 32, TargetLocks.lockId(a).length());
    assertNotEquals(TargetLocks.lockId(a), TargetLocks.lockId(b));
    // Workflow ids are never encrypted: a bucket name must not show in one.
    assertTrue(!TargetLocks.lockId(TargetLocks.s3("payroll-archive", "2024/")).contains("payroll"));
  }

  @Test
  void givenARestore_whenItsTargetsAreNamed_thenItsDestinationOrElseItsObjects() {
    GlacierRestoreRequest.Builder r = GlacierRestoreRequest.Builder.of("b", "logs/");
    assertEquals(List.of("s3/b/logs/"), r.build().targets());
    assertEquals(
        List.of("dir//srv/out"),
        r.delivery(new Delivery(DeliveryMode.DOWNLOAD, "/srv/out/", null, null)).build().targets());
    assertEquals(
        List.of("s3/c/copy/logs/"),
        r.delivery(new Delivery(DeliveryMode.COPY, null, "C", "copy/")).build().targets());
    assertEquals(
        List.of("s3/b/2024/"),
        GlacierRestoreRequest.Builder.of("b", null)
            .keys(List.of("2024/a", "2024/b"))
            .build()
            .targets());
    assertEquals(List.of(), r.dryRun(true).build().targets());
  }
}
