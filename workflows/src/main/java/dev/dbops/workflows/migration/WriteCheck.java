package dev.dbops.workflows.migration;

/**
 * A write made and read back on the new writer.
 *
 * @param serverId {@code @@server_id} of the server that took it (it is not the source's)
 */
public record WriteCheck(String table, String token, String at, long serverId) {}
