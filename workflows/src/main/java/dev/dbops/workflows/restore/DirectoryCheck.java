package dev.dbops.workflows.restore;

/**
 * What the worker checks about the download directory before any restore is requested.
 *
 * @param directory the request's {@code delivery.directory}
 * @param bytesNeeded the total size of the objects to deliver there (the free-space estimate)
 * @param objects how many objects those bytes are, for the message
 */
public record DirectoryCheck(String directory, long bytesNeeded, int objects) {}
