package dev.dbops.workflows.common;

/**
 * A hosted zone and one record in it, read before anything changes.
 *
 * @param zoneName the zone's name (null when the zone was not found)
 * @param recordType type of the record set at the name (null when there is none)
 * @param value what it points at now: kept so a person (or a revert) can point it back
 * @param ttl its TTL in seconds (null when there is no record)
 */
public record CnameFacts(
    String zoneName, boolean zonePrivate, String recordType, String value, Long ttl) {}
