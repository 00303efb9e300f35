package dev.dbops.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS accounts one sandbox hosts, the IAM roles that may be assumed into them, the sessions STS
 * {@code AssumeRole} issued, and each account's KMS keys ({@link KmsKeys}). A test double: there
 * are no policies, only "this role may be assumed by anyone".
 *
 * <p>Who calls is read from the SigV4 access key id of each request:
 *
 * <ul>
 *   <li>a session key issued by {@code AssumeRole} ({@value #SESSION_KEY_PREFIX}…) → the role's
 *       account;
 *   <li>{@link #accessKeyFor(String)} ({@value #ACCOUNT_KEY_PREFIX}{@code <account>}) → that
 *       account;
 *   <li>any other key, or an unsigned request → {@link #DEFAULT_ACCOUNT} (the sandbox accepts any
 *       credentials).
 * </ul>
 *
 * A {@value #SESSION_KEY_PREFIX} key this sandbox did not issue, or an account key of an account it
 * does not host, is refused with 403 {@code InvalidClientTokenId}. Session expiry is not enforced.
 *
 * <pre>{@code
 * String role = sandbox.accounts().allowRole("210987654321", "dbops-staging"); // arn:aws:iam::210987654321:role/dbops-staging
 * String cmk = sandbox.accounts().kms().createCustomerKey(SandboxAccounts.DEFAULT_ACCOUNT, "dbops-share");
 * }</pre>
 */
public final class SandboxAccounts {

  /**
   * The account of every request not signed with another account's credentials ({@link
   * RdsSandbox#ACCOUNT_ID}).
   */
  public static final String DEFAULT_ACCOUNT = "123456789012";

  /** Access key ids of AssumeRole sessions start with this (AWS: {@code ASIA}). */
  public static final String SESSION_KEY_PREFIX = "ASIASBX";

  /** {@code AKIASBX<account id>}: a long-term key of a hosted account ({@link #accessKeyFor}). */
  public static final String ACCOUNT_KEY_PREFIX = "AKIASBX";

  static final Duration DEFAULT_SESSION_DURATION = Duration.ofHours(1);

  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws:iam::(\\d{12}):role/((?:[\\w+=,.@-]+/)*)([\\w+=,.@-]{1,64})");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

  /**
   * Who signed a request.
   *
   * @param account 12-digit account id
   * @param arn {@code arn:aws:iam::<account>:user/sandbox} or {@code
   *     arn:aws:sts::<account>:assumed-role/<role>/<session>}
   * @param userId GetCallerIdentity's UserId
   */
  public record Caller(String account, String arn, String userId) {}

  /**
   * Temporary credentials issued by AssumeRole.
   *
   * @param assumedRoleArn {@code arn:aws:sts::<account>:assumed-role/<role>/<session>}
   * @param assumedBy ARN of the caller that assumed the role
   * @param expiration wall-clock now + DurationSeconds (what SDK credential caches compare with);
   *     not enforced
   */
  public record Session(
      String accessKeyId,
      String secretAccessKey,
      String sessionToken,
      String account,
      String roleArn,
      String roleSessionName,
      String assumedRoleArn,
      String assumedRoleId,
      Instant expiration,
      String assumedBy) {}

  private final Map<String, Set<String>> roles = new LinkedHashMap<>();
  private final Map<String, Session> sessions = new LinkedHashMap<>();
  private final AtomicLong sessionIds = new AtomicLong();
  private final KmsKeys kms = new KmsKeys();

  SandboxAccounts() {
    roles.put(DEFAULT_ACCOUNT, new LinkedHashSet<>());
  }

  /** Hosts {@code accountId} (12 digits); idempotent. */
  public synchronized SandboxAccounts add(String accountId) {
    roles.computeIfAbsent(checkAccount(accountId), a -> new LinkedHashSet<>());
    return this;
  }

  /**
   * Lets any caller assume {@code arn:aws:iam::<accountId>:role/<roleName>} (hosting the account if
   * needed).
   *
   * @return the role's ARN
   */
  public synchronized String allowRole(String accountId, String roleName) {
    Objects.requireNonNull(roleName, "roleName");
    if (!ROLE_ARN.matcher(roleArn(accountId, roleName)).matches()) {
      throw new IllegalArgumentException("not a valid role name: " + roleName);
    }
    add(accountId);
    roles.get(accountId).add(roleName);
    return roleArn(accountId, roleName);
  }

  /** AssumeRole of that role is denied from now on (sessions already issued keep working). */
  public synchronized void revokeRole(String accountId, String roleName) {
    Set<String> names = roles.get(accountId);
    if (names != null) {
      names.remove(roleName);
    }
  }

  public synchronized boolean hosts(String accountId) {
    return roles.containsKey(accountId);
  }

  /** Hosted account ids, default first. */
  public synchronized List<String> ids() {
    return List.copyOf(roles.keySet());
  }

  /** {@code arn:aws:iam::<accountId>:role/<roleName>}. */
  public static String roleArn(String accountId, String roleName) {
    return "arn:aws:iam::" + accountId + ":role/" + roleName;
  }

  /**
   * A long-term access key id that acts as {@code accountId} without AssumeRole (any secret key
   * works), for tests that are not about STS.
   */
  public synchronized String accessKeyFor(String accountId) {
    if (!hosts(accountId)) {
      throw new IllegalArgumentException(
          "the sandbox hosts no account " + accountId + "; add it first");
    }
    return ACCOUNT_KEY_PREFIX + accountId;
  }

  /** Every session AssumeRole issued, oldest first. */
  public synchronized List<Session> sessions() {
    return new ArrayList<>(sessions.values());
  }

  /** The accounts' KMS keys (the {@code aws/rds} default key, customer managed keys). */
  public KmsKeys kms() {
    return kms;
  }

  // ---------------------------------------------------------------- used by the handlers

  /** Who signed with {@code accessKeyId} (null = unsigned). */
  synchronized Caller caller(String accessKeyId) {
    if (accessKeyId != null && accessKeyId.startsWith(SESSION_KEY_PREFIX)) {
      Session s = sessions.get(accessKeyId);
      if (s == null) {
        throw invalidToken().exception();
      }
      return new Caller(s.account(), s.assumedRoleArn(), s.assumedRoleId());
    }
    if (accessKeyId != null && accessKeyId.startsWith(ACCOUNT_KEY_PREFIX)) {
      String account = accessKeyId.substring(ACCOUNT_KEY_PREFIX.length());
      if (!hosts(account)) {
        throw invalidToken().exception();
      }
      return user(account);
    }
    return user(DEFAULT_ACCOUNT);
  }

  /**
   * STS AssumeRole.
   *
   * @throws ServiceException 400 {@code ValidationError} for a malformed ARN, session name or
   *     duration; 403 {@code AccessDenied} when the account is not hosted or the role not allowed
   */
  synchronized Session assumeRole(
      Caller caller, String roleArn, String sessionName, Duration duration, Instant now) {
    Matcher m = roleArn == null ? null : ROLE_ARN.matcher(roleArn);
    if (m == null || !m.matches()) {
      throw validation(
              "Value '"
                  + roleArn
                  + "' at 'roleArn' failed to satisfy constraint: "
                  + "Member must be an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)")
          .exception();
    }
    if (sessionName == null || !SESSION_NAME.matcher(sessionName).matches()) {
      throw validation(
              "Value '"
                  + sessionName
                  + "' at 'roleSessionName' failed to satisfy constraint: "
                  + "Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length 2-64")
          .exception();
    }
    if (duration.compareTo(Duration.ofMinutes(15)) < 0
        || duration.compareTo(Duration.ofHours(12)) > 0) {
      throw validation(
              "Value '"
                  + duration.toSeconds()
                  + "' at 'durationSeconds' failed to satisfy constraint: "
                  + "Member must have value between 900 and 43200")
          .exception();
    }
    String account = m.group(1);
    String roleName = m.group(3);
    Set<String> allowed = roles.get(account);
    if (allowed == null || !allowed.contains(m.group(2) + roleName)) {
      throw new ServiceError(
              403,
              "AccessDenied",
              "User: "
                  + caller.arn()
                  + " is not authorized to perform: "
                  + "sts:AssumeRole on resource: "
                  + roleArn
                  + " (sandbox, a test double: "
                  + (allowed == null ? "account " + account + " is not hosted" : "role not allowed")
                  + ")")
          .exception();
    }
    long n = sessionIds.incrementAndGet();
    String keyId = SESSION_KEY_PREFIX + String.format("%013d", n);
    String roleId =
        "AROASBX" + String.format("%013d", Math.abs((account + "/" + roleName).hashCode()));
    Session s =
        new Session(
            keyId,
            "sandbox-secret-" + n,
            "SANDBOX-SESSION-TOKEN-" + n + "-not-a-real-token",
            account,
            roleArn,
            sessionName,
            "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName,
            roleId + ":" + sessionName,
            now.plus(duration),
            caller.arn());
    sessions.put(keyId, s);
    return s;
  }

  private static Caller user(String account) {
    return new Caller(account, "arn:aws:iam::" + account + ":user/sandbox", "AIDASBX" + account);
  }

  static String checkAccount(String accountId) {
    if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
      throw new IllegalArgumentException("an account id is 12 digits: " + accountId);
    }
    return accountId;
  }

  static ServiceError invalidToken() {
    return new ServiceError(
        403, "InvalidClientTokenId", "The security token included in the request is invalid.");
  }

  private static ServiceError validation(String message) {
    return new ServiceError(400, "ValidationError", "1 validation error detected: " + message);
  }
}
