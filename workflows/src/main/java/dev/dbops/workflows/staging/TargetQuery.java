package dev.dbops.workflows.staging;

import dev.dbops.workflows.common.OrderableQuery;

/**
 * What to look up in the target account before anything is changed.
 *
 * @param instanceClasses the class the new cluster's instances get, for the engine version the
 *     restore runs (null in queries written before it was asked: not looked up)
 */
public record TargetQuery(
    AccountRef account,
    DnsTarget dns,
    String oldClusterId,
    String newClusterId,
    OrderableQuery instanceClasses) {
  public TargetQuery(AccountRef account, DnsTarget dns, String oldClusterId, String newClusterId) {
    this(account, dns, oldClusterId, newClusterId, null);
  }
}
