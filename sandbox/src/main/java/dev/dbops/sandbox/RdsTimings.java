package dev.dbops.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How long RDS state machines take on the sandbox clock (compressed: seconds, not hours).
 * {@link SandboxClock#advance} skips them without waiting.
 *
 * @param snapshotCreate  a cluster snapshot is {@code creating} this long, then {@code available}
 * @param clusterUpgrade  a ModifyDBCluster engine upgrade keeps the cluster {@code upgrading} this long
 * @param clusterRestore  RestoreDBClusterFromSnapshot's new cluster is {@code creating} this long
 * @param instanceCreate  CreateDBInstance's instance is {@code creating} this long
 */
public record RdsTimings(Duration snapshotCreate, Duration clusterUpgrade, Duration clusterRestore,
                         Duration instanceCreate) {

    public RdsTimings {
        positive(snapshotCreate, "snapshotCreate");
        positive(clusterUpgrade, "clusterUpgrade");
        positive(clusterRestore, "clusterRestore");
        positive(instanceCreate, "instanceCreate");
    }

    /** Snapshot 10 s, upgrade 60 s, restore 30 s, instance 20 s. */
    public static RdsTimings defaults() {
        return new RdsTimings(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofSeconds(20));
    }

    public RdsTimings withSnapshotCreate(Duration d) {
        return new RdsTimings(d, clusterUpgrade, clusterRestore, instanceCreate);
    }

    public RdsTimings withClusterUpgrade(Duration d) {
        return new RdsTimings(snapshotCreate, d, clusterRestore, instanceCreate);
    }

    public RdsTimings withClusterRestore(Duration d) {
        return new RdsTimings(snapshotCreate, clusterUpgrade, d, instanceCreate);
    }

    public RdsTimings withInstanceCreate(Duration d) {
        return new RdsTimings(snapshotCreate, clusterUpgrade, clusterRestore, d);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
