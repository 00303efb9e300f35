package dev.dbops.sandbox;

import java.nio.file.Path;
import java.util.List;

/**
 * What a snapshot of a bound cluster holds: a dump of the server's application schemas at snapshot
 * time (written by {@link dev.dbops.sandbox.mysql.MariaDbCli#dumpUserSchemas}), loaded into a new
 * server when the snapshot is restored. Shared by a snapshot and its copies; deleted when the last
 * of them is.
 *
 * @param dump the SQL file, in the sandbox's data directory
 * @param schemas the schemas it creates
 * @param bytes its size
 */
record SnapshotData(Path dump, List<String> schemas, long bytes) {

  SnapshotData {
    schemas = List.copyOf(schemas);
  }
}
