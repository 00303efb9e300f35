package dev.dbops.activities.aws;

import dev.dbops.workflows.common.CnameFacts;
import dev.dbops.workflows.common.CnameUpsert;
import dev.dbops.workflows.common.DnsChange;
import dev.dbops.workflows.common.Route53Activities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * {@link Route53Activities} on the AWS SDK, in the worker's own account ({@link Route53Records}).
 */
public final class Route53ActivitiesImpl implements Route53Activities {
  private static final Logger log = LoggerFactory.getLogger(Route53ActivitiesImpl.class);

  private final Route53Records records;

  public Route53ActivitiesImpl(Route53Client r53) {
    this.records = new Route53Records(r53);
  }

  @Override
  public CnameFacts readRecord(String hostedZoneId, String recordName) {
    return records.read(hostedZoneId, recordName);
  }

  @Override
  public DnsChange upsertCname(CnameUpsert c) {
    Route53Records.Upserted u =
        records.upsertCname(c.hostedZoneId(), c.recordName(), c.value(), c.ttl(), c.comment());
    if (u.sent()) {
      log.info(
          "{} -> {} (TTL {}) in {}: change {} {}",
          c.recordName(),
          c.value(),
          c.ttl(),
          c.hostedZoneId(),
          u.change().changeId(),
          u.change().status());
    }
    return u.change();
  }

  @Override
  public DnsChange checkChangeInsync(String changeId) {
    return records.checkInsync(changeId);
  }
}
