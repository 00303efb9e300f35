package dev.dbops.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A manual cluster snapshot; {@code creating} until {@link #availableAt}, state guarded by {@link RdsSandbox}. */
final class RdsSnapshot {

    final String id;
    final String arn;
    final String clusterId;
    final RdsEngineVersions.Version version;
    final int port;
    final boolean storageEncrypted;
    final String kmsKeyId;
    final Instant clusterCreatedAt;
    final Instant createdAt;
    final Instant availableAt;
    final Map<String, String> tags = new LinkedHashMap<>();

    RdsSnapshot(String id, String arn, RdsCluster source, Instant createdAt, Instant availableAt) {
        this.id = id;
        this.arn = arn;
        this.clusterId = source.id;
        this.version = source.version;
        this.port = source.seedPort;
        this.storageEncrypted = source.storageEncrypted;
        this.kmsKeyId = source.kmsKeyId;
        this.clusterCreatedAt = source.createdAt;
        this.createdAt = createdAt;
        this.availableAt = availableAt;
    }

    String status(Instant now) {
        return now.isBefore(availableAt) ? "creating" : "available";
    }

    int percentProgress(Instant now) {
        if (!now.isBefore(availableAt)) {
            return 100;
        }
        long total = Duration.between(createdAt, availableAt).toMillis();
        long done = Duration.between(createdAt, now).toMillis();
        return total <= 0 ? 0 : (int) Math.max(0, Math.min(99, done * 100 / total));
    }
}
