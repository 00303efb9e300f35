package dev.dbops.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * KMS over its JSON protocol ({@code X-Amz-Target: TrentService.DescribeKey}): DescribeKey only,
 * which is how a caller tells the AWS managed {@code aws/rds} key (KeyManager AWS, whose snapshots
 * cannot be shared) from a customer managed one. Keys come from {@link KmsKeys}.
 *
 * <p>Call log: {@code bucket} = the KeyId as given.
 */
final class KmsHandler implements ServiceHandler {
  private static final Pattern KEY_ID_FIELD = Pattern.compile("\"KeyId\"\\s*:\\s*\"([^\"]*)\"");

  private final SandboxAccounts accounts;

  KmsHandler(SandboxAccounts accounts) {
    this.accounts = accounts;
  }

  @Override
  public String service() {
    return "kms";
  }

  @Override
  public RequestTarget target(SandboxRequest req) {
    String t = req.header("X-Amz-Target");
    String op = t == null ? "MissingTarget" : t.substring(t.indexOf('.') + 1);
    Matcher m = KEY_ID_FIELD.matcher(new String(req.body(), StandardCharsets.UTF_8));
    return new RequestTarget(op, m.find() ? m.group(1) : null, null);
  }

  @Override
  public SandboxResponse handle(SandboxRequest req, RequestTarget target) {
    if (!"DescribeKey".equals(target.operation())) {
      throw new ServiceError(
              400,
              "UnknownOperationException",
              target.operation()
                  + " (the dbops sandbox, a test double, speaks KMS DescribeKey only)")
          .exception();
    }
    String account = accounts.caller(req.scope().accessKeyId()).account();
    String keyId = target.bucket();
    if (keyId == null || keyId.isBlank()) {
      throw new ServiceError(
              400, "ValidationException", "1 validation error detected: KeyId must not be null")
          .exception();
    }
    KmsKeys.KeyInfo key =
        accounts
            .kms()
            .describe(account, keyId)
            .orElseThrow(
                () ->
                    new ServiceError(400, "NotFoundException", "Key '" + keyId + "' does not exist")
                        .exception());
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("AWSAccountId", key.account());
    meta.put("KeyId", key.keyId());
    meta.put("Arn", key.arn());
    meta.put("Enabled", true);
    meta.put("KeyState", "Enabled");
    meta.put("KeyUsage", "ENCRYPT_DECRYPT");
    meta.put("KeySpec", "SYMMETRIC_DEFAULT");
    meta.put("KeyManager", key.awsManaged() ? "AWS" : "CUSTOMER");
    meta.put("Origin", "AWS_KMS");
    meta.put(
        "Description",
        key.awsManaged()
            ? "Default key that protects my RDS database volumes when no other key is defined"
            : "customer managed key (dbops sandbox)");
    return SandboxResponse.json(200, Json.write(Map.of("KeyMetadata", meta)))
        .header("Content-Type", "application/x-amz-json-1.1");
  }

  @Override
  public SandboxResponse error(SandboxRequest req, RequestTarget target, ServiceError error) {
    return SandboxResponse.json(
            error.status(), Json.write(Map.of("__type", error.code(), "message", error.message())))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("x-amzn-ErrorType", error.code());
  }

  @Override
  public Optional<ServiceError> faultError(
      Faults.Kind kind, SandboxRequest req, RequestTarget target) {
    return switch (kind) {
      case THROTTLE -> Optional.of(new ServiceError(400, "ThrottlingException", "Rate exceeded"));
      case ERROR_500 ->
          Optional.of(new ServiceError(500, "KMSInternalException", "internal error"));
      case ERROR_503 ->
          Optional.of(
              new ServiceError(503, "ServiceUnavailableException", "Service is unavailable."));
      case ACCESS_DENIED ->
          Optional.of(
              new ServiceError(
                  400,
                  "AccessDeniedException",
                  "User is not authorized to perform: kms:"
                      + target.operation()
                      + " (injected by the sandbox)"));
      case NOT_FOUND ->
          Optional.of(
              new ServiceError(
                  400, "NotFoundException", "Key not found (injected by the sandbox)"));
      case INVALID_PARAMETER ->
          Optional.of(
              new ServiceError(
                  400,
                  "ValidationException",
                  "Invalid parameter for " + target.operation() + " (injected by the sandbox)"));
      case EXPEDITED_UNAVAILABLE, DROP_CONNECTION, LATENCY -> Optional.empty();
    };
  }
}
