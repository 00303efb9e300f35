package dev.dbops.starter.campaign;

import dev.dbops.sandbox.AwsSandbox;
import java.nio.file.Path;

/**
 * Fresh resources for each run, seeded by the same code {@code dbops dev} seeds its demos with
 * (implemented next to the demos, which stay package-private: {@code
 * dev.dbops.starter.CampaignDemos}). Every run names {@link #approver()} as its approver and polls
 * every second.
 */
public interface Fixtures {

  /**
   * Opens fixtures on {@code sandbox}; local files (passwords, scripts) go under {@code stateDir}.
   */
  interface Factory {
    Fixtures open(AwsSandbox sandbox, Path stateDir);
  }

  /** Who approves (the demos' approver); runs are requested by someone else. */
  String approver();

  /**
   * A new bucket named {@code bucket} with the demo objects; downloads go to {@code downloadDir}.
   */
  Fixture.Restore restore(String bucket, Path downloadDir);

  /** A new 5.6 cluster {@code clusterId} on its own MariaDB, upgraded after an approval. */
  Fixture.Upgrade upgrade(String clusterId);

  /** A new replication pair with the demo's drift; its password files go under {@code dir}. */
  Fixture.Binlog binlog(Path dir);

  /**
   * The staging demo (seeded on first use), rebuilt under {@code workflowId}, retiring {@code
   * oldClusterId} (null: the demo's old staging cluster) after {@code grace} or an approval.
   */
  Fixture.Staging staging(String workflowId, String oldClusterId, String grace);
}
