package dev.dbops.workflows.restore;

import java.util.Map;

/**
 * The download directory as the worker found it.
 *
 * @param directory absolute path
 * @param exists false: it is created at the first delivery (its nearest existing parent was
 *     checked)
 * @param caseInsensitive the file system treats names differing in case as one (keys are folded)
 * @param usableBytes free space for this user where it is (or will be)
 * @param refusedSubdirectories checked subdirectories that nothing may be written in (a link or a
 *     file on the way), with the reason
 */
public record DirectoryFacts(
    String directory,
    boolean exists,
    boolean caseInsensitive,
    long usableBytes,
    Map<String, String> refusedSubdirectories) {}
