package dev.dbops.workflows.upgrade;

import dev.dbops.workflows.common.DbLogin;
import io.temporal.activity.ActivityInterface;

/**
 * SQL on the cluster: pre-checks before the upgrade, verification after. Connection failures are
 * retryable (the endpoint drops connections during an upgrade); the password is resolved from
 * {@link DbLogin#passwordRef()} inside the activity.
 */
@ActivityInterface
public interface MySqlCheckActivities {
  /** XA RECOVER, running DDL (processlist), max INNODB_TRX rows modified, history list length. */
  PrecheckReport precheck(DbEndpoint endpoint);

  /**
   * SELECT VERSION() must start with the expected prefix (else non-retryable VERIFY_FAILED); then
   * each smoke statement (a failing one is VERIFY_FAILED).
   */
  VerifyReport verify(VerifySpec spec);
}
