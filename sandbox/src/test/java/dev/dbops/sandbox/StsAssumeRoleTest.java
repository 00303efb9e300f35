package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** STS AssumeRole and GetCallerIdentity with the real StsClient: who a request acts as. */
class StsAssumeRoleTest {

  private static final String STAGING = "210987654321";

  private AwsSandbox sandbox;
  private StsClient sts;

  @BeforeEach
  void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    sts = SandboxClients.sts(sandbox);
  }

  @AfterEach
  void stop() {
    sts.close();
    sandbox.close();
  }

  @Test
  void givenAllowedRole_whenAssumed_thenSessionCredentialsActInTheRolesAccount() {
    String role = sandbox.accounts().allowRole(STAGING, "dbops-staging");

    AssumeRoleResponse assumed =
        sts.assumeRole(r -> r.roleArn(role).roleSessionName("staging-rebuild"));

    assertEquals("arn:aws:iam::210987654321:role/dbops-staging", role);
    assertEquals(
        "arn:aws:sts::210987654321:assumed-role/dbops-staging/staging-rebuild",
        assumed.assumedRoleUser().arn());
    assertTrue(assumed.credentials().accessKeyId().startsWith(SandboxAccounts.SESSION_KEY_PREFIX));
    assertTrue(assumed.credentials().expiration().isAfter(Instant.now()));
    assertEquals(
        "123456789012",
        sts.getCallerIdentity().account(),
        "default credentials: the default account");
    try (StsClient asStaging =
        client(
            AwsSessionCredentials.create(
                assumed.credentials().accessKeyId(),
                assumed.credentials().secretAccessKey(),
                assumed.credentials().sessionToken()))) {
      GetCallerIdentityResponse me = asStaging.getCallerIdentity();
      assertEquals(STAGING, me.account());
      assertEquals(assumed.assumedRoleUser().arn(), me.arn());
    }
    SandboxAccounts.Session session = sandbox.accounts().sessions().get(0);
    assertEquals(
        List.of(STAGING, "staging-rebuild", "arn:aws:iam::123456789012:user/sandbox"),
        List.of(session.account(), session.roleSessionName(), session.assumedBy()));
    assertEquals(1, sandbox.calls().count("AssumeRole", role, "staging-rebuild"));
  }

  @Test
  void givenAssumeRoleCredentialsProvider_whenUsed_thenItAssumesOnceAndActsInTheTargetAccount() {
    String role = sandbox.accounts().allowRole(STAGING, "dbops-staging");

    try (StsAssumeRoleCredentialsProvider provider =
            SandboxClients.assumeRole(sts, role, "worker");
        StsClient asStaging =
            StsClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(provider)
                .endpointOverride(sandbox.endpoint())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
      assertEquals(STAGING, asStaging.getCallerIdentity().account());
      assertEquals(STAGING, asStaging.getCallerIdentity().account());
    }
    assertEquals(1, sandbox.calls().count("AssumeRole"), "cached until near expiry");
  }

  @Test
  void givenRoleNotAllowedOrAccountNotHosted_whenAssumed_thenAccessDenied403() {
    sandbox.accounts().allowRole(STAGING, "dbops-staging");

    StsException notAllowed =
        assertThrows(
            StsException.class,
            () ->
                sts.assumeRole(
                    r ->
                        r.roleArn(SandboxAccounts.roleArn(STAGING, "admin"))
                            .roleSessionName("s1")));
    StsException notHosted =
        assertThrows(
            StsException.class,
            () ->
                sts.assumeRole(
                    r ->
                        r.roleArn(SandboxAccounts.roleArn("999999999999", "dbops-staging"))
                            .roleSessionName("s1")));
    sandbox.accounts().revokeRole(STAGING, "dbops-staging");
    StsException revoked =
        assertThrows(
            StsException.class,
            () ->
                sts.assumeRole(
                    r ->
                        r.roleArn(SandboxAccounts.roleArn(STAGING, "dbops-staging"))
                            .roleSessionName("s1")));

    for (StsException e : List.of(notAllowed, notHosted, revoked)) {
      assertEquals(403, e.statusCode());
      assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
      assertFalse(e.isThrottlingException());
    }
    assertTrue(
        notAllowed.getMessage().contains("is not authorized to perform: sts:AssumeRole"),
        notAllowed.getMessage());
  }

  @Test
  void givenMalformedRoleArnSessionNameOrDuration_whenAssumed_thenValidationError400() {
    sandbox.accounts().allowRole(STAGING, "dbops-staging");
    String role = SandboxAccounts.roleArn(STAGING, "dbops-staging");

    List<StsException> errors =
        List.of(
            assertThrows(
                StsException.class,
                () ->
                    sts.assumeRole(
                        r -> r.roleArn("arn:aws:iam::1234:role/x").roleSessionName("s1"))),
            assertThrows(
                StsException.class,
                () -> sts.assumeRole(r -> r.roleArn(role).roleSessionName("bad name"))),
            assertThrows(
                StsException.class,
                () ->
                    sts.assumeRole(
                        r -> r.roleArn(role).roleSessionName("s1").durationSeconds(60))));

    for (StsException e : errors) {
      assertEquals(400, e.statusCode());
      assertEquals("ValidationError", e.awsErrorDetails().errorCode());
    }
  }

  @Test
  void
      givenInjectedThrottling_whenAssumeRoleRetriedByTheSdk_thenItSucceedsAndTheCallLogShowsTheFault() {
    String role = sandbox.accounts().allowRole(STAGING, "dbops-staging");
    sandbox.faults().script("AssumeRole", List.of(Faults.Kind.THROTTLE));

    AssumeRoleResponse assumed = sts.assumeRole(r -> r.roleArn(role).roleSessionName("retried"));

    assertTrue(assumed.credentials().accessKeyId().startsWith(SandboxAccounts.SESSION_KEY_PREFIX));
    assertEquals(
        List.of(400, 200),
        sandbox.calls().of("AssumeRole").stream().map(CallLog.Call::status).toList());
    assertEquals("THROTTLE", sandbox.calls().of("AssumeRole").get(0).fault());
    assertEquals("sts", sandbox.calls().of("AssumeRole").get(0).service());
  }

  @Test
  void givenSessionKeyTheSandboxNeverIssued_whenUsed_thenInvalidClientTokenId403() {
    try (StsClient forged =
        client(
            AwsSessionCredentials.create(
                SandboxAccounts.SESSION_KEY_PREFIX + "0000000000999", "secret", "token"))) {
      StsException e = assertThrows(StsException.class, forged::getCallerIdentity);

      assertEquals(403, e.statusCode());
      assertEquals("InvalidClientTokenId", e.awsErrorDetails().errorCode());
    }
  }

  @Test
  void givenAccountAccessKey_whenUsed_thenActsAsThatAccountWithoutAssumeRole() {
    sandbox.accounts().add(STAGING);

    try (StsClient asStaging =
        client(AwsBasicCredentials.create(sandbox.accounts().accessKeyFor(STAGING), "any"))) {
      assertEquals(STAGING, asStaging.getCallerIdentity().account());
    }
    assertThrows(
        IllegalArgumentException.class, () -> sandbox.accounts().accessKeyFor("999999999999"));
  }

  private StsClient client(software.amazon.awssdk.auth.credentials.AwsCredentials credentials) {
    return StsClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .endpointOverride(sandbox.endpoint())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }
}
