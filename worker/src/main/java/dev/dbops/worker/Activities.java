package dev.dbops.worker;

import dev.dbops.activities.aws.AccountClients;
import dev.dbops.activities.aws.AwsClients;
import dev.dbops.activities.aws.AwsSettings;
import dev.dbops.activities.aws.Route53ActivitiesImpl;
import dev.dbops.activities.binlog.ReplicationActivitiesImpl;
import dev.dbops.activities.common.SecretResolver;
import dev.dbops.activities.hooks.CommandHookActivities;
import dev.dbops.activities.migration.MigrationActivitiesImpl;
import dev.dbops.activities.mysql.MySqlSettings;
import dev.dbops.activities.notify.LogNotifyActivities;
import dev.dbops.activities.notify.OnceNotifyActivities;
import dev.dbops.activities.notify.WebhookNotifyActivities;
import dev.dbops.activities.notify.WebhookSettings;
import dev.dbops.activities.restore.S3RestoreActivitiesImpl;
import dev.dbops.activities.staging.StagingActivitiesImpl;
import dev.dbops.activities.upgrade.MySqlCheckActivitiesImpl;
import dev.dbops.activities.upgrade.RdsUpgradeActivitiesImpl;
import dev.dbops.client.DbopsConfig;
import dev.dbops.workflows.common.NotifyActivities;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Every activity implementation the catalog's workflows call, wired to the AWS clients they use.
 * Closing releases the clients.
 */
public final class Activities implements AutoCloseable {
  private final List<SdkClient> clients;
  private final List<Object> implementations;
  private AccountClients accounts;

  private Activities(List<SdkClient> clients, List<Object> implementations) {
    this.clients = clients;
    this.implementations = implementations;
  }

  public static AwsSettings awsSettings(DbopsConfig config) {
    return new AwsSettings(config.awsRegion(), config.awsEndpoint());
  }

  public static Activities create(DbopsConfig config, MeterRegistry registry) {
    AwsSettings aws = awsSettings(config);
    S3Client s3 = AwsClients.s3(aws, registry);
    RdsClient rds = AwsClients.rds(aws, registry);
    // The sandbox does not speak Secrets Manager: there, secretsmanager: references are refused
    // (non-retryably) instead of retried against an endpoint that cannot answer.
    SecretsManagerClient secretsManager =
        aws.usesSandbox() ? null : AwsClients.secretsManager(aws, registry);
    SecretResolver secrets =
        secretsManager == null
            ? SecretResolver.fromEnvironment()
            : SecretResolver.fromEnvironment(secretsManager);
    List<SdkClient> clients =
        secretsManager == null ? List.of(s3, rds) : List.of(s3, rds, secretsManager);
    // The staging rebuild acts in several accounts: clients per assumed role, built on demand.
    AccountClients accounts = new AccountClients(aws, registry);
    Activities built =
        new Activities(
            clients,
            List.of(
                new S3RestoreActivitiesImpl(s3, registry),
                new RdsUpgradeActivitiesImpl(rds, registry),
                new Route53ActivitiesImpl(accounts.route53(null)),
                new MySqlCheckActivitiesImpl(secrets, mySqlSettings(aws)),
                new ReplicationActivitiesImpl(secrets, mySqlSettings(aws), rds, registry),
                new StagingActivitiesImpl(accounts, secrets, mySqlSettings(aws), registry),
                new MigrationActivitiesImpl(
                    rds, secrets, mySqlSettings(aws), java.time.Clock.systemUTC()),
                new CommandHookActivities(
                    config.hooksDir(), config.hooksUrlRef(), secrets, HOOK_TIMEOUT),
                notifier(config, secrets, registry)));
    built.accounts = accounts;
    return built;
  }

  /**
   * Notices go to the log (and the approvals-waiting gauge); with {@code
   * DBOPS_NOTIFY_WEBHOOK_URL_REF} set, also to that chat webhook. One implementation either way: a
   * worker registers one implementation per activity interface. Either way each wait notice goes
   * out once, however often its workflow task is retried ({@link OnceNotifyActivities}).
   */
  static NotifyActivities notifier(
      DbopsConfig config, SecretResolver secrets, MeterRegistry registry) {
    LogNotifyActivities logNotify = new LogNotifyActivities();
    if (!config.notifiesWebhook()) return new OnceNotifyActivities(logNotify);
    return new OnceNotifyActivities(
        new WebhookNotifyActivities(
            logNotify,
            new WebhookSettings(
                config.notifyWebhookUrlRef(), config.temporalUiUrl(), config.namespace()),
            secrets,
            registry));
  }

  /** Kept under the hook activity's 10-minute limit so a stuck hook is reported, not retried. */
  static final java.time.Duration HOOK_TIMEOUT = java.time.Duration.ofMinutes(8);

  /**
   * Real clusters: TLS when offered. Sandbox clusters are bound to a loopback MariaDB that runs
   * without TLS.
   */
  static MySqlSettings mySqlSettings(AwsSettings aws) {
    return aws.usesSandbox() ? MySqlSettings.loopback() : MySqlSettings.defaults();
  }

  public List<Object> implementations() {
    return implementations;
  }

  @Override
  public void close() {
    clients.forEach(SdkClient::close);
    if (accounts != null) accounts.close();
  }
}
