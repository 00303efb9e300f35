package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Request field paths in CLI messages become the flags that fill them, for every procedure. */
class FlagNamesTest {
  static final List<ProcedureFlags<?>> ALL_FLAGS =
      List.of(
          new BinlogFlags(),
          new GlacierRestoreFlags(),
          new UpgradeFlags(),
          new UpgradeRollbackFlags(),
          new StagingFlags());

  private static FlagNames binlog() {
    return FlagNames.of(CommandSpec.forAnnotatedObject(new BinlogFlags()));
  }

  @Test
  void givenEveryProceduresFlags_whenRead_thenEachOptionNamesARequestFieldThatExists() {
    for (ProcedureFlags<?> flags : ALL_FLAGS) {
      CommandSpec spec = CommandSpec.forAnnotatedObject(flags);
      assertTrue(spec.options().size() > 5, flags.getClass().getSimpleName());
      for (OptionSpec o : spec.options()) {
        RequestField field = FlagNames.requestField(o);
        assertNotNull(
            field,
            flags.getClass().getSimpleName() + " " + o.longestName() + " has no @RequestField");
        assertTrue(
            exists(flags.procedure().requestClass(), field.value()),
            flags.getClass().getSimpleName()
                + " "
                + o.longestName()
                + ": no field "
                + field.value()
                + " in "
                + flags.procedure().requestClass().getSimpleName());
      }
    }
  }

  @Test
  void givenRequestProblems_whenRenamedForFlags_thenEachPathIsItsFlag() {
    FlagNames n = binlog();

    assertEquals(
        "--skip-errno: 1452 is never skipped while --fk-mode is STOP_AND_ASK; set --fk-mode to DISABLE_CHECKS",
        n.rename(
            "skipPolicy.allowedErrnos: 1452 is never skipped while skipPolicy.foreignKeyMode is STOP_AND_ASK;"
                + " set skipPolicy.foreignKeyMode to DISABLE_CHECKS"));
    assertEquals(
        "replication user: 'r'@'%' lacks REPLICATION SLAVE on *.* (set --create-repl-user to grant it)",
        n.rename(
            "replication user: 'r'@'%' lacks REPLICATION SLAVE on *.* (set replicationUser.create to grant it)"));
    assertEquals(
        "--retention-hours: must be 1..2160, was 0",
        n.rename("setRetentionHours: must be 1..2160, was 0"));
    assertEquals(
        "--source: 'db; x' is not a host name",
        n.rename("source.host: 'db; x' is not a host name"));
    assertEquals(
        "--source-password-ref: must be env:NAME",
        n.rename("source.login.passwordRef: must be env:NAME"));
    assertEquals(
        "--start-file/--start-pos: required unless --replica-cluster names a restored cluster",
        n.rename("startPosition: required unless replicaClusterId names a restored cluster"));
    assertEquals(
        "x; --approver: an approval may be needed",
        n.rename("x; approval.approvers[0]: an approval may be needed"));
    assertEquals(
        "invalid input:\n  --replica: must not be the source (a:1 names b:1)",
        n.rename("invalid input:\n  replica: must not be the source (a:1 names b:1)"));
  }

  @Test
  void givenProseAndOtherDottedNames_whenRenamed_thenUnchanged() {
    FlagNames n = binlog();
    for (String prose :
        List.of(
            "the source's binlog is purged; the replica stops",
            "call mysql.rds_set_configuration('binlog retention hours', 168) on db.internal (binlog_format ROW)",
            "source 10.0.0.1:3306 cannot be replicated from: log_bin is OFF",
            "e.g. 168 hours")) {
      assertEquals(prose, n.rename(prose));
    }
  }

  @Test
  void givenOtherProcedures_whenRenamed_thenTheirOwnFlags() {
    FlagNames upgrade = FlagNames.of(CommandSpec.forAnnotatedObject(new UpgradeFlags()));
    assertEquals(
        "--cluster: 'x' not found; --db-password-ref: must be env:NAME",
        upgrade.rename("clusterId: 'x' not found; login.passwordRef: must be env:NAME"));
    FlagNames staging = FlagNames.of(CommandSpec.forAnnotatedObject(new StagingFlags()));
    assertEquals(
        "--ttl: must be 0..86400 seconds, was -5",
        staging.rename("dns.ttl: must be 0..86400 seconds, was -5"));
  }

  /**
   * Whether {@code path} (dots, no indices) names a record component reachable from {@code type}.
   */
  private static boolean exists(Class<?> type, String path) {
    Class<?> at = type;
    for (String part : path.split("\\.")) {
      if (!at.isRecord()) return false;
      RecordComponent found = null;
      for (RecordComponent c : at.getRecordComponents()) {
        if (c.getName().equals(part)) found = c;
      }
      if (found == null) return false;
      Type t = found.getGenericType();
      at =
          t instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> arg
              ? arg
              : found.getType();
    }
    return true;
  }
}
