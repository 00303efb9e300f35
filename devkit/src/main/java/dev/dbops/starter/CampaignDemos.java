package dev.dbops.starter;

import dev.dbops.sandbox.AwsSandbox;
import dev.dbops.sandbox.ClusterSeed;
import dev.dbops.sandbox.Route53Sandbox;
import dev.dbops.sandbox.mysql.LocalMariaDb;
import dev.dbops.starter.campaign.Fixture;
import dev.dbops.starter.campaign.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dev demos as {@link Fixtures} for {@code dbops campaign}: the same seeding code {@code dbops
 * dev} runs ({@link DevDemo}, {@link UpgradeDemo}, {@link BinlogDemo}, {@link StagingDemo}), under
 * per-run names. Lives next to the demos so they can stay package-private; the campaign itself is
 * in {@code dev.dbops.starter.campaign}.
 */
public final class CampaignDemos implements Fixtures {
  /** The approver every demo names (the binlog and staging demos' start arguments carry it). */
  static final String APPROVER = StagingDemo.APPROVER;

  static final String POLL = "1s";

  /** What a later staging run finds in the CNAME: the previous run's cluster, by another name. */
  static final String PREVIOUS_CLUSTER_HOST = "localhost";

  private final AwsSandbox sandbox;
  private final Path stateDir;

  /** Seeded on first use: production and staging accounts exist once per sandbox. */
  private StagingDemo.Demo staging;

  public CampaignDemos(AwsSandbox sandbox, Path stateDir) {
    this.sandbox = sandbox;
    this.stateDir = stateDir;
  }

  @Override
  public String approver() {
    return APPROVER;
  }

  /** {@link DevDemo}'s objects in {@code bucket}; the demo's tier, with a required approval. */
  @Override
  public Fixture.Restore restore(String bucket, Path downloadDir) {
    sandbox.s3().createBucket(bucket);
    Map<String, byte[]> contents = new LinkedHashMap<>();
    DevDemo.OBJECTS.forEach(
        (key, storageClass) -> {
          byte[] bytes = DevDemo.content(key);
          sandbox.s3().putObject(bucket, key, bytes, storageClass);
          contents.put(key, bytes);
        });
    List<String> args =
        List.of(
            "--bucket",
            bucket,
            "--prefix",
            DevDemo.PREFIX,
            "--tier",
            "EXPEDITED",
            "--days",
            "1",
            "--download-dir",
            downloadDir.toAbsolutePath().toString(),
            "--require-approval",
            "--approver",
            APPROVER,
            "--poll-interval",
            POLL);
    return new Fixture.Restore(
        "restore/" + bucket + "/" + DevDemo.PREFIX,
        args,
        bucket,
        DevDemo.OBJECTS,
        contents,
        downloadDir);
  }

  /**
   * {@link UpgradeDemo}'s cluster under {@code clusterId}, with an approval instead of the demo's
   * waiver.
   */
  @Override
  public Fixture.Upgrade upgrade(String clusterId) {
    UpgradeDemo.Cluster c =
        UpgradeDemo.seed(
            sandbox.rds(),
            ClusterSeed.aurora56(clusterId)
                .withEngine("aurora", UpgradeDemo.ENGINE_VERSION)
                .withTag("environment", "dev"),
            stateDir);
    List<String> args = new ArrayList<>(c.startArgs());
    args.remove("--waive-approval");
    args.addAll(List.of("--approver", APPROVER, "--poll-interval", POLL, "--progress-every", "5s"));
    LocalMariaDb db = c.db();
    return new Fixture.Upgrade(
        "upgrade/" + clusterId,
        args,
        clusterId,
        UpgradeDemo.TARGET_VERSION,
        new Fixture.Database(db.jdbcUrl(""), db.rootUser(), db.rootPassword()),
        UpgradeDemo.SMOKE_SQL,
        UpgradeDemo.ORDERS,
        () -> {
          c.close();
          db.close();
        });
  }

  /** A new {@link BinlogDemo} pair (its password files under {@code dir}). */
  @Override
  public Fixture.Binlog binlog(Path dir) {
    BinlogDemo.Pair p = BinlogDemo.start(dir);
    var pair = p.pair();
    return new Fixture.Binlog(
        p.workflowId(),
        p.startArgs(),
        new Fixture.Database(pair.source().jdbcUrl(""), pair.adminUser(), pair.adminPassword()),
        new Fixture.Database(pair.replica().jdbcUrl(""), pair.adminUser(), pair.adminPassword()),
        BinlogDemo.TABLE,
        BinlogDemo.DRIFT_IDS.size(),
        p::close);
  }

  /**
   * {@link StagingDemo}'s rebuild under {@code workflowId}, retiring {@code oldClusterId} after
   * {@code grace}.
   */
  @Override
  public Fixture.Staging staging(String workflowId, String oldClusterId, String grace) {
    if (staging == null) staging = StagingDemo.seed(sandbox, stateDir);
    var s = staging.seeded();
    String old = oldClusterId == null ? s.stagingClusterId() : oldClusterId;
    if (oldClusterId != null) {
      // The CNAME names the previous run's cluster by its endpoint, 127.0.0.1 (every cluster bound
      // to a
      // local MariaDB has it), which is also this run's: the rebuild would find nothing to change.
      // Name
      // the same server "localhost" instead, so every run moves the CNAME, once.
      long ttl =
          sandbox
              .route53()
              .record(s.hostedZoneId(), s.recordName(), "CNAME")
              .map(Route53Sandbox.RecordView::ttl)
              .orElse(0L);
      sandbox
          .route53()
          .upsertRecord(s.hostedZoneId(), s.recordName(), "CNAME", ttl, PREVIOUS_CLUSTER_HOST);
    }
    List<String> args = new ArrayList<>(staging.startArgs(grace, POLL));
    args.addAll(List.of("--old-cluster", old));
    return new Fixture.Staging(
        workflowId,
        args,
        s.stagingAccount(),
        s.sourceClusterId(),
        old,
        s.hostedZoneId(),
        s.recordName(),
        s.users(),
        StagingDemo.VERIFY_QUERIES);
  }
}
