package dev.dbops.workflows.restore;

import java.util.List;

/**
 * What the worker checks about the download directory before any restore is requested.
 *
 * @param directory the request's {@code delivery.directory}
 * @param bytesNeeded the total size of the objects to deliver there (the free-space estimate)
 * @param objects how many objects those bytes are, for the message
 * @param subdirectories directories below it the keys are written in ({@code /}-separated,
 *     relative, at most {@link #MAX_SUBDIRECTORIES}); each is looked at for a link or a
 *     non-directory on the way, without writing
 */
public record DirectoryCheck(
    String directory, long bytesNeeded, int objects, List<String> subdirectories) {
  /** Bounds the payload; directories past it are checked at delivery only. */
  public static final int MAX_SUBDIRECTORIES = 1000;
}
