package dev.dbops.sandbox.mysql;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replication driven only through RDS-style CALLs by the non-SUPER admin user, against a real
 * source and replica. One pair for the class: every test starts from a reset replica, replicates
 * from the source's current position and works in its own schema.
 */
class RdsReplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static ReplicationPair pair;

    @BeforeAll
    static void start() {
        pair = ReplicationPair.start();
    }

    @AfterAll
    static void stop() {
        pair.close();
    }

    @BeforeEach
    void resetReplica() throws SQLException {
        pair.resetReplica();
    }

    @Test
    void givenExternalMasterSetByAdmin_whenSourceWrites_thenRowsAppearOnReplica() throws SQLException {
        BinlogPosition from = pair.sourceStatus();
        try (Connection admin = pair.connectReplicaAsAdmin(); Statement s = admin.createStatement()) {
            s.execute("CALL mysql.rds_set_external_master('127.0.0.1', " + pair.source().port() + ", '"
                    + pair.replicationUser() + "', '" + pair.replicationPassword() + "', '" + from.file() + "', "
                    + from.position() + ", 0)");
            s.execute("CALL mysql.rds_start_replication");
        }
        try (Connection src = pair.connectSource(); Statement s = src.createStatement()) {
            s.execute("CREATE DATABASE basic");
            s.execute("CREATE TABLE basic.t (id INT PRIMARY KEY, v VARCHAR(20))");
            s.execute("INSERT INTO basic.t VALUES (1, 'one'), (2, 'two')");
        }

        ReplicaStatus status = pair.awaitCaughtUp(WAIT);

        assertEquals(List.of("1:one", "2:two"), rows(pair.connectReplica(), "SELECT CONCAT(id, ':', v) FROM basic.t ORDER BY id"));
        assertEquals(0, status.lastSqlErrno());
        assertEquals(0L, status.secondsBehindMaster());
        assertEquals(pair.sourceStatus(), status.executedUpTo());
    }

    static List<String> rows(Connection c, String sql) throws SQLException {
        try (c; Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
