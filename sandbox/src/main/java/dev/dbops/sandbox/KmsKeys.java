package dev.dbops.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The KMS keys RDS encrypts with, per account. The sandbox does not speak KMS; it only needs to
 * tell an account's AWS managed {@code aws/rds} key (snapshots encrypted with it cannot be shared)
 * from customer managed keys. Every account has its {@code aws/rds} key; any other key ARN in an
 * account counts as customer managed, created or not. Key ids are UUIDs derived from account and
 * alias, so they are the same in every run.
 */
public final class KmsKeys {

  /** The alias of the AWS managed key RDS uses when StorageEncrypted is set without KmsKeyId. */
  public static final String RDS_DEFAULT_ALIAS = "aws/rds";

  private static final Pattern KEY_ARN =
      Pattern.compile("arn:aws:kms:([a-z0-9-]+):(\\d{12}):key/([\\w-]+)");
  private static final Pattern ALIAS_ARN =
      Pattern.compile("arn:aws:kms:([a-z0-9-]+):(\\d{12}):alias/(.+)");
  private static final Pattern KEY_ID = Pattern.compile("[0-9a-fA-F-]{8,}|mrk-[0-9a-f]+");

  /** "account/alias" → key ARN of customer managed keys. */
  private final Map<String, String> aliases = new LinkedHashMap<>();

  KmsKeys() {}

  /**
   * ARN of the account's AWS managed {@code aws/rds} key (the key behind alias {@code aws/rds}).
   */
  public String defaultRdsKey(String account) {
    return keyArn(account, keyId(account, RDS_DEFAULT_ALIAS));
  }

  /**
   * A customer managed key in {@code account} with {@code alias/<alias>} pointing at it;
   * idempotent.
   *
   * @return its key ARN, {@code arn:aws:kms:us-east-1:<account>:key/<uuid>}
   */
  public synchronized String createCustomerKey(String account, String alias) {
    SandboxAccounts.checkAccount(account);
    Objects.requireNonNull(alias, "alias");
    String name = alias.startsWith("alias/") ? alias.substring("alias/".length()) : alias;
    if (name.startsWith("aws/")) {
      throw new IllegalArgumentException("aliases under aws/ are AWS managed: " + alias);
    }
    return aliases.computeIfAbsent(
        account + "/" + name, k -> keyArn(account, keyId(account, name)));
  }

  /** True for an account's {@code aws/rds} key ARN. */
  public boolean isAwsManagedRdsKey(String keyArn) {
    Matcher m = keyArn == null ? null : KEY_ARN.matcher(keyArn);
    return m != null && m.matches() && keyArn.equals(defaultRdsKey(m.group(2)));
  }

  /**
   * The key ARN a KmsKeyId parameter names, from {@code account}'s point of view: a key ARN (as
   * is), a key id, an alias name ({@code alias/aws/rds}, {@code alias/<customer alias>}) or an
   * alias ARN.
   *
   * @throws ServiceException 400 {@code KMSKeyNotAccessibleFault} for an unknown customer alias or
   *     a malformed id
   */
  synchronized String resolve(String account, String keyIdOrAlias) {
    String k = keyIdOrAlias.trim();
    if (KEY_ARN.matcher(k).matches()) {
      return k;
    }
    Matcher aliasArn = ALIAS_ARN.matcher(k);
    if (aliasArn.matches()) {
      return alias(aliasArn.group(2), aliasArn.group(3), keyIdOrAlias);
    }
    if (k.startsWith("alias/")) {
      return alias(account, k.substring("alias/".length()), keyIdOrAlias);
    }
    if (KEY_ID.matcher(k).matches()) {
      return keyArn(account, k);
    }
    throw notAccessible(keyIdOrAlias).exception();
  }

  private String alias(String account, String name, String asGiven) {
    if (RDS_DEFAULT_ALIAS.equals(name)) {
      return defaultRdsKey(account);
    }
    String arn = aliases.get(account + "/" + name);
    if (arn == null) {
      throw notAccessible(asGiven).exception();
    }
    return arn;
  }

  /** What DescribeKey tells about a key. */
  record KeyInfo(String account, String keyId, String arn, boolean awsManaged) {}

  /**
   * The key a DescribeKey KeyId names (key ARN, key id, alias name or alias ARN), seen from {@code
   * account}; empty when no such key exists (customer keys exist once created).
   */
  synchronized Optional<KeyInfo> describe(String account, String keyIdOrAlias) {
    String arn;
    try {
      arn = resolve(account, keyIdOrAlias);
    } catch (ServiceException e) {
      return Optional.empty();
    }
    Matcher m = KEY_ARN.matcher(arn);
    if (!m.matches()) return Optional.empty();
    boolean aws = isAwsManagedRdsKey(arn);
    if (!aws && !aliases.containsValue(arn)) return Optional.empty();
    return Optional.of(new KeyInfo(m.group(2), m.group(3), arn, aws));
  }

  static ServiceError notAccessible(String key) {
    return new ServiceError(
        400,
        "KMSKeyNotAccessibleFault",
        "The specified KMS key ["
            + key
            + "] does not exist, "
            + "is not enabled or you do not have permissions to access it.");
  }

  private static String keyArn(String account, String keyId) {
    return "arn:aws:kms:" + RdsSandbox.REGION + ":" + account + ":key/" + keyId;
  }

  private static String keyId(String account, String alias) {
    return UUID.nameUUIDFromBytes((account + "/" + alias).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
