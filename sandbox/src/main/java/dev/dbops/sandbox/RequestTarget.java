package dev.dbops.sandbox;

/**
 * What a request addresses, known before it is handled: the operation (used by fault injection and
 * the call log) and, for S3, bucket and key (null when not applicable).
 */
record RequestTarget(String operation, String bucket, String key) {}
