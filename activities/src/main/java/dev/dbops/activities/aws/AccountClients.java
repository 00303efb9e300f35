package dev.dbops.activities.aws;

import dev.dbops.workflows.staging.AccountRef;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * AWS clients per account: the worker's own credentials when an {@link AccountRef} names no role,
 * otherwise that role assumed through STS (credentials refreshed before they expire). Clients are
 * built once per role and service and shared by every activity call.
 */
public final class AccountClients implements AutoCloseable {
  /** Shows up in CloudTrail as the role session: who did it is the worker, for dbops. */
  static final String SESSION_NAME = "dbops-worker";

  private final AwsSettings settings;
  private final MeterRegistry registry;
  private final StsClient sts;
  private final Map<String, AwsCredentialsProvider> roles = new ConcurrentHashMap<>();
  private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();

  public AccountClients(AwsSettings settings, MeterRegistry registry) {
    this.settings = settings;
    this.registry = registry;
    this.sts = AwsClients.sts(settings, registry);
  }

  public RdsClient rds(AccountRef account) {
    return client("rds", account, c -> AwsClients.rds(settings, registry, c));
  }

  public Route53Client route53(AccountRef account) {
    return client("route53", account, c -> AwsClients.route53(settings, registry, c));
  }

  public KmsClient kms(AccountRef account) {
    return client("kms", account, c -> AwsClients.kms(settings, registry, c));
  }

  public S3Client s3(AccountRef account) {
    return client("s3", account, c -> AwsClients.s3(settings, registry, c));
  }

  @SuppressWarnings("unchecked")
  private <C extends SdkClient> C client(
      String service, AccountRef account, Function<AwsCredentialsProvider, C> build) {
    String role = account == null || account.roleArn() == null ? "" : account.roleArn();
    return (C) clients.computeIfAbsent(service + "|" + role, k -> build.apply(credentials(role)));
  }

  private AwsCredentialsProvider credentials(String role) {
    if (role.isEmpty()) return AwsClients.ownCredentials(settings);
    return roles.computeIfAbsent(
        role,
        r ->
            StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(b -> b.roleArn(r).roleSessionName(SESSION_NAME))
                .build());
  }

  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>(clients.values());
    roles
        .values()
        .forEach(
            p -> {
              if (p instanceof AutoCloseable c) all.add(c);
            });
    all.add(sts);
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception ignored) {
        // Closing is best effort at shutdown.
      }
    }
  }
}
