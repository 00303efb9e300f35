package dev.dbops.activities.migration;

import dev.dbops.activities.aws.AwsFailures;
import dev.dbops.activities.aws.RdsReads;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.mysql.MySqlConnector;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.activities.mysql.SqlFailures;
import dev.dbops.activities.sql.SqlSecrets;
import dev.dbops.workflows.binlog.BinlogPosition;
import dev.dbops.workflows.binlog.DbTarget;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.migration.CreateOutcome;
import dev.dbops.workflows.migration.InstanceUpgradeSpec;
import dev.dbops.workflows.migration.LagWatch;
import dev.dbops.workflows.migration.MigrationActivities;
import dev.dbops.workflows.migration.PromoteOutcome;
import dev.dbops.workflows.migration.ReplicaClusterSpec;
import dev.dbops.workflows.migration.ReplicaLag;
import dev.dbops.workflows.migration.SourceInstanceFacts;
import dev.dbops.workflows.migration.SourceQuery;
import dev.dbops.workflows.migration.SourceSqlFacts;
import dev.dbops.workflows.migration.WriteCheck;
import dev.dbops.workflows.migration.WriteProbe;
import dev.dbops.workflows.staging.StagingValidator;
import dev.dbops.workflows.upgrade.ClusterEndpoints;
import dev.dbops.workflows.upgrade.ClusterFacts.UpgradeTarget;
import dev.dbops.workflows.upgrade.ModifyOutcome;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;

/**
 * The RDS and SQL side of an RDS MySQL → Aurora MySQL migration, against the real RDS API (or the
 * sandbox, which speaks it) and the servers through Connector/J. Mutating methods look first and
 * adopt what a retried or resumed run already did, so CreateDBCluster, ModifyDBInstance and
 * PromoteReadReplicaDBCluster are each requested once. Poll methods make one look and sort it. AWS
 * failures are classified by {@link AwsFailures}, SQL failures by {@link SqlFailures}; nothing else
 * decides what is retryable.
 */
public final class MigrationActivitiesImpl implements MigrationActivities {
  private static final Logger log = LoggerFactory.getLogger(MigrationActivitiesImpl.class);

  static final String AVAILABLE = "available";
  static final String PROMOTING = "promoting";

  /** "It exists already": a concurrent attempt won the race; adopt. */
  static final String CLUSTER_EXISTS = "DBClusterAlreadyExistsFault";

  static final String INVALID_CLUSTER_STATE = "InvalidDBClusterStateFault";

  /** Instance statuses of a major version upgrade in progress. */
  private static final Set<String> UPGRADING = Set.of("upgrading", "modifying", "rebooting");

  /** Cluster / instance statuses that need a person, not more waiting. */
  private static final Set<String> TERMINAL =
      Set.of(
          "failed",
          "deleting",
          "deleted",
          "stopped",
          "stopping",
          "incompatible-parameters",
          "incompatible-restore",
          "incompatible-network",
          "inaccessible-encryption-credentials",
          "storage-full");

  private final RdsClient rds;
  private final RdsReads reads;
  private final SecretResolver secrets;
  private final MySqlConnector connector;
  private final Clock clock;

  /**
   * @param clock decides when a changed lag band may be reported ({@link LagWatch#sort})
   */
  public MigrationActivitiesImpl(
      RdsClient rds, SecretResolver secrets, MySqlSettings settings, Clock clock) {
    this.rds = rds;
    this.reads = new RdsReads(rds);
    this.secrets = secrets;
    this.connector = new MySqlConnector(settings);
    this.clock = clock;
  }

  public MigrationActivitiesImpl(RdsClient rds, SecretResolver secrets) {
    this(rds, secrets, MySqlSettings.defaults(), Clock.systemUTC());
  }

  // ------------------------------------------------------------------------------- inspect

  @Override
  public SourceInstanceFacts inspectSource(SourceQuery query) {
    require(query == null ? null : query.instanceId(), "instanceId");
    DBInstance i = reads.instance(query.instanceId());
    String group =
        i.dbParameterGroups().isEmpty()
            ? null
            : i.dbParameterGroups().get(0).dbParameterGroupName();
    List<UpgradeTarget> targets = reads.upgradeTargets(i.engine(), i.engineVersion());
    Map<String, String> families = new LinkedHashMap<>();
    if (group != null) reads.instanceGroupFamily(group).ifPresent(f -> families.put(group, f));
    if (query.parameterGroupNames() != null) {
      for (String g : query.parameterGroupNames()) {
        if (g == null || g.isBlank() || families.containsKey(g)) continue;
        reads
            .instanceGroupFamily(g)
            .or(() -> reads.clusterGroupFamily(g))
            .ifPresent(f -> families.put(g, f));
      }
    }
    Map<String, String> tags = new LinkedHashMap<>();
    i.tagList().forEach(t -> tags.put(t.key(), t.value()));
    return new SourceInstanceFacts(
        i.dbInstanceIdentifier(),
        i.dbInstanceArn(),
        i.dbInstanceStatus(),
        i.engine(),
        i.engineVersion(),
        i.endpoint() == null ? null : i.endpoint().address(),
        i.endpoint() == null || i.endpoint().port() == null ? 0 : i.endpoint().port(),
        i.dbInstanceClass(),
        i.backupRetentionPeriod() == null ? 0 : i.backupRetentionPeriod(),
        group,
        i.dbSubnetGroup() == null ? null : i.dbSubnetGroup().dbSubnetGroupName(),
        i.vpcSecurityGroups().stream().map(VpcSecurityGroupMembership::vpcSecurityGroupId).toList(),
        tags,
        targets,
        families,
        List.copyOf(i.readReplicaDBClusterIdentifiers()));
  }

  @Override
  public SourceSqlFacts inspectSourceSql(DbTarget source) {
    requireTarget(source, "source");
    String where = source.address();
    try (Connection c = open(source)) {
      List<String> warnings = new ArrayList<>();
      String version;
      boolean logBin;
      String format;
      boolean readOnly;
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT VERSION(), @@log_bin, @@binlog_format, @@read_only")) {
        rs.next();
        version = rs.getString(1);
        logBin = rs.getInt(2) == 1;
        format = rs.getString(3);
        readOnly = rs.getInt(4) == 1;
      }
      Integer retention = null;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(MigrationSql.SHOW_CONFIGURATION)) {
        while (rs.next()) {
          if (MigrationSql.BINLOG_RETENTION_HOURS.equalsIgnoreCase(rs.getString("name"))) {
            String v = rs.getString("value");
            if (v == null || v.isBlank() || v.equalsIgnoreCase("NULL")) {
              warnings.add(
                  "binlog retention hours is NULL: RDS purges binary logs as soon as it can");
            } else {
              retention = Integer.valueOf(v.strip());
            }
          }
        }
      } catch (SQLException e) {
        if (SqlFailures.retryable(e))
          throw SqlFailures.failure(MigrationSql.SHOW_CONFIGURATION + " on " + where, e);
        warnings.add(
            MigrationSql.SHOW_CONFIGURATION
                + " failed, binlog retention unknown: "
                + SqlFailures.describe(e));
      }
      return new SourceSqlFacts(version, logBin, format, retention, readOnly, warnings);
    } catch (SQLException e) {
      throw SqlFailures.failure("inspect the source " + where, e);
    }
  }

  // ------------------------------------------------------------------------ source upgrade

  @Override
  public ModifyOutcome startInstanceUpgrade(InstanceUpgradeSpec spec) {
    require(spec == null ? null : spec.instanceId(), "instanceId");
    require(spec.targetEngineVersion(), "targetEngineVersion");
    DBInstance i = reads.instance(spec.instanceId());
    String pending =
        i.pendingModifiedValues() == null ? null : i.pendingModifiedValues().engineVersion();
    if (UPGRADING.contains(i.dbInstanceStatus()) || spec.targetEngineVersion().equals(pending)) {
      log.info(
          "instance {} is already {} ({} → {}): nothing to call",
          spec.instanceId(),
          i.dbInstanceStatus(),
          i.engineVersion(),
          spec.targetEngineVersion());
      return new ModifyOutcome(
          ModifyOutcome.ALREADY_UPGRADING, i.dbInstanceStatus(), i.engineVersion());
    }
    if (spec.targetEngineVersion().equals(i.engineVersion())) {
      return new ModifyOutcome(
          ModifyOutcome.ALREADY_AT_TARGET, i.dbInstanceStatus(), i.engineVersion());
    }
    DBInstance after =
        AwsFailures.call(
            "ModifyDBInstance",
            "instance " + spec.instanceId(),
            () ->
                rds.modifyDBInstance(
                        b ->
                            b.dbInstanceIdentifier(spec.instanceId())
                                .engineVersion(spec.targetEngineVersion())
                                .allowMajorVersionUpgrade(true)
                                .applyImmediately(true)
                                .dbParameterGroupName(spec.parameterGroup()))
                    .dbInstance());
    log.info(
        "instance {}: upgrade {} → {} requested (parameter group {})",
        spec.instanceId(),
        i.engineVersion(),
        spec.targetEngineVersion(),
        spec.parameterGroup());
    return new ModifyOutcome(
        ModifyOutcome.STARTED, after.dbInstanceStatus(), after.engineVersion());
  }

  @Override
  public String checkInstanceUpgraded(InstanceUpgradeSpec spec) {
    require(spec == null ? null : spec.instanceId(), "instanceId");
    require(spec.targetEngineVersion(), "targetEngineVersion");
    DBInstance i = reads.instance(spec.instanceId());
    String status = i.dbInstanceStatus();
    if (AVAILABLE.equals(status) && spec.targetEngineVersion().equals(i.engineVersion())) {
      return i.engineVersion();
    }
    if (TERMINAL.contains(status)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "instance " + spec.instanceId() + " is " + status + " on " + i.engineVersion(),
          ErrorTypes.INVALID_STATE);
    }
    if (AVAILABLE.equals(status)
        && (i.pendingModifiedValues() == null
            || i.pendingModifiedValues().engineVersion() == null)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "instance "
              + spec.instanceId()
              + " is available on "
              + i.engineVersion()
              + ", not "
              + spec.targetEngineVersion()
              + ": the upgrade failed (see its events)",
          ErrorTypes.UPGRADE_FAILED);
    }
    throw ErrorTypes.notReady(
        "instance " + spec.instanceId() + " is " + status + " on " + i.engineVersion());
  }

  // ---------------------------------------------------------------------- replica cluster

  @Override
  public CreateOutcome ensureReplicaCluster(ReplicaClusterSpec spec) {
    require(spec == null ? null : spec.clusterId(), "clusterId");
    require(spec.sourceArn(), "sourceArn");
    Optional<DBCluster> existing = reads.findCluster(spec.clusterId());
    if (existing.isPresent()) return adopt(spec, existing.get());
    try {
      DBCluster c =
          rds.createDBCluster(
                  b ->
                      b.dbClusterIdentifier(spec.clusterId())
                          .engine(ReplicaClusterSpec.ENGINE)
                          .engineVersion(spec.engineVersion())
                          .replicationSourceIdentifier(spec.sourceArn())
                          .dbClusterParameterGroupName(spec.clusterParameterGroup())
                          .dbSubnetGroupName(spec.dbSubnetGroup())
                          .vpcSecurityGroupIds(spec.vpcSecurityGroupIds())
                          .tags(RdsReads.tags(spec.tags())))
              .dbCluster();
      log.info(
          "cluster {}: Aurora read replica of {} requested ({})",
          spec.clusterId(),
          spec.sourceArn(),
          c.status());
      return new CreateOutcome(spec.clusterId(), CreateOutcome.CREATED, c.status());
    } catch (SdkException e) {
      if (CLUSTER_EXISTS.equals(AwsFailures.errorCode(e))) {
        Optional<DBCluster> now = reads.findCluster(spec.clusterId());
        if (now.isPresent()) return adopt(spec, now.get());
      }
      throw AwsFailures.failure("CreateDBCluster", "cluster " + spec.clusterId(), e);
    }
  }

  /** Ours when it carries this run's owner tag; anything else is someone else's cluster. */
  private CreateOutcome adopt(ReplicaClusterSpec spec, DBCluster c) {
    String want = spec.tags() == null ? null : spec.tags().get(StagingValidator.OWNER_TAG);
    String has =
        c.tagList().stream()
            .filter(t -> StagingValidator.OWNER_TAG.equals(t.key()))
            .map(Tag::value)
            .findFirst()
            .orElse(null);
    if (want == null || !want.equals(has)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cluster "
              + spec.clusterId()
              + " already exists and is not this run's ("
              + StagingValidator.OWNER_TAG
              + " "
              + (has == null ? "absent" : "'" + has + "'")
              + "); it is left alone",
          ErrorTypes.NOT_OWNED);
    }
    log.info(
        "cluster {} already exists ({}, replicating from {}): adopted",
        spec.clusterId(),
        c.status(),
        c.replicationSourceIdentifier());
    return new CreateOutcome(spec.clusterId(), CreateOutcome.ADOPTED, c.status());
  }

  @Override
  public ReplicaLag checkReplicaLag(LagWatch watch) {
    Objects.requireNonNull(watch, "watch");
    ReplicaLag lag = readReplicaLag(watch.replica());
    return switch (watch.sort(lag, clock.millis())) {
      case CAUGHT_UP, REPORT -> lag;
      case WAIT ->
          throw ErrorTypes.notReady(
              "replica of cluster " + watch.clusterId() + ": " + lag.describe());
      case BROKEN ->
          throw ApplicationFailure.newNonRetryableFailure(
              "replica of cluster " + watch.clusterId() + " stopped: " + lag.describe(),
              ErrorTypes.REPLICATION_BROKEN);
    };
  }

  @Override
  public ReplicaLag readReplicaLag(DbTarget replica) {
    requireTarget(replica, "replica");
    try (Connection c = open(replica);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(MigrationSql.SHOW_SLAVE_STATUS)) {
      if (!rs.next()) return new ReplicaLag(null, false, false, 0, null, null, false);
      long behind = rs.getLong("Seconds_Behind_Master");
      Long lag = rs.wasNull() ? null : behind;
      int ioErrno = rs.getInt("Last_IO_Errno");
      int sqlErrno = rs.getInt("Last_SQL_Errno");
      String error =
          SqlSecrets.redact(
              ioErrno != 0 ? rs.getString("Last_IO_Error") : rs.getString("Last_SQL_Error"));
      return new ReplicaLag(
          lag,
          "Yes".equalsIgnoreCase(rs.getString("Slave_IO_Running")),
          "Yes".equalsIgnoreCase(rs.getString("Slave_SQL_Running")),
          ioErrno != 0 ? ioErrno : sqlErrno,
          ioErrno != 0 || sqlErrno != 0 ? error : null,
          new BinlogPosition(
              rs.getString("Relay_Master_Log_File"), rs.getLong("Exec_Master_Log_Pos")),
          true);
    } catch (SQLException e) {
      throw SqlFailures.failure(MigrationSql.SHOW_SLAVE_STATUS + " on " + replica.address(), e);
    }
  }

  // ------------------------------------------------------------------------------ promote

  @Override
  public PromoteOutcome promote(String clusterId) {
    require(clusterId, "clusterId");
    DBCluster c = reads.cluster(clusterId);
    if (alreadyPromoted(c)) {
      log.info(
          "cluster {} is {} with no replication source left: nothing to call",
          clusterId,
          c.status());
      return new PromoteOutcome(clusterId, PromoteOutcome.ALREADY_PROMOTED);
    }
    try {
      DBCluster after =
          rds.promoteReadReplicaDBCluster(b -> b.dbClusterIdentifier(clusterId)).dbCluster();
      log.info(
          "cluster {}: promotion requested ({}), replication from {} stops",
          clusterId,
          after.status(),
          c.replicationSourceIdentifier());
      return new PromoteOutcome(clusterId, PromoteOutcome.PROMOTED);
    } catch (SdkException e) {
      if (INVALID_CLUSTER_STATE.equals(AwsFailures.errorCode(e))
          && alreadyPromoted(reads.cluster(clusterId))) {
        return new PromoteOutcome(clusterId, PromoteOutcome.ALREADY_PROMOTED);
      }
      throw AwsFailures.failure("PromoteReadReplicaDBCluster", "cluster " + clusterId, e);
    }
  }

  /** A promotion under way or done: the earlier attempt's call took. */
  private static boolean alreadyPromoted(DBCluster c) {
    return PROMOTING.equals(c.status()) || c.replicationSourceIdentifier() == null;
  }

  @Override
  public ClusterEndpoints checkPromoted(String clusterId) {
    require(clusterId, "clusterId");
    DBCluster c = reads.cluster(clusterId);
    if (TERMINAL.contains(c.status())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cluster " + clusterId + " is " + c.status(), ErrorTypes.INVALID_STATE);
    }
    if (!AVAILABLE.equals(c.status()) || c.replicationSourceIdentifier() != null) {
      throw ErrorTypes.notReady(
          "cluster "
              + clusterId
              + " is "
              + c.status()
              + (c.replicationSourceIdentifier() == null
                  ? ""
                  : ", still replicating from " + c.replicationSourceIdentifier()));
    }
    List<String> waiting = new ArrayList<>();
    List<DBInstance> members = reads.members(clusterId);
    for (DBInstance i : members) {
      if (TERMINAL.contains(i.dbInstanceStatus())) {
        throw ApplicationFailure.newNonRetryableFailure(
            "instance "
                + i.dbInstanceIdentifier()
                + " of cluster "
                + clusterId
                + " is "
                + i.dbInstanceStatus(),
            ErrorTypes.INVALID_STATE);
      }
      if (!AVAILABLE.equals(i.dbInstanceStatus()))
        waiting.add(i.dbInstanceIdentifier() + " " + i.dbInstanceStatus());
    }
    if (members.isEmpty()) waiting.add("its first instance");
    if (!waiting.isEmpty()) {
      throw ErrorTypes.notReady(
          "cluster " + clusterId + " is promoted; waiting for " + String.join(", ", waiting));
    }
    return new ClusterEndpoints(
        clusterId, c.endpoint(), c.readerEndpoint(), c.port() == null ? 0 : c.port());
  }

  @Override
  public WriteCheck verifyWrite(WriteProbe probe) {
    Objects.requireNonNull(probe, "probe");
    requireTarget(probe.writer(), "writer");
    require(probe.token(), "token");
    String where = probe.writer().address();
    try (Connection c = open(probe.writer())) {
      try (Statement s = c.createStatement()) {
        s.execute(MigrationSql.CREATE_SCHEMA);
        s.execute(MigrationSql.CREATE_TABLE);
      }
      try (PreparedStatement p = c.prepareStatement(MigrationSql.REPLACE_ROW)) {
        p.setString(1, probe.token());
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement(MigrationSql.READ_ROW)) {
        p.setString(1, probe.token());
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            throw ApplicationFailure.newNonRetryableFailure(
                "the row written to " + WriteProbe.TABLE + " on " + where + " is not there",
                ErrorTypes.VERIFY_FAILED);
          }
          WriteCheck check =
              new WriteCheck(WriteProbe.TABLE, probe.token(), rs.getString(1), rs.getLong(2));
          log.info("write verified on {} (server id {})", where, check.serverId());
          return check;
        }
      }
    } catch (SQLException e) {
      if (SqlFailures.retryable(e)) throw SqlFailures.failure("write check on " + where, e);
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "the new writer " + where + " refused the write check: " + SqlFailures.describe(e),
          ErrorTypes.VERIFY_FAILED,
          e);
    }
  }

  // ------------------------------------------------------------------------------- helpers

  private Connection open(DbTarget t) throws SQLException {
    return connector.open(
        t.host(), t.port(), t.login().user(), secrets.resolve(t.login().passwordRef()));
  }

  private static void requireTarget(DbTarget t, String field) {
    if (t == null || t.host() == null || t.login() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          field + ": host and login required", ErrorTypes.INVALID_INPUT);
    }
  }

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          field + ": required", ErrorTypes.INVALID_INPUT);
    }
  }
}
