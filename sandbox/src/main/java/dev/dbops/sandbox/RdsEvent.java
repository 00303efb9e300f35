package dev.dbops.sandbox;

import java.time.Instant;
import java.util.List;

/**
 * One RDS event as DescribeEvents returns it. The sandbox schedules an operation's events when it
 * starts (an upgrade's phases spread over its duration); an event is visible once the sandbox clock
 * reaches its {@code date}.
 *
 * @param sourceType {@code db-cluster}, {@code db-instance} or {@code db-cluster-snapshot}
 * @param categories e.g. {@code maintenance}, {@code notification}, {@code backup}, {@code
 *     creation}
 */
public record RdsEvent(
    Instant date,
    String sourceIdentifier,
    String sourceType,
    String message,
    List<String> categories,
    String sourceArn) {

  public RdsEvent {
    categories = List.copyOf(categories);
  }
}
