package dev.dbops.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * STS over the Query protocol ({@code Action=AssumeRole&Version=2011-06-15}): AssumeRole and
 * GetCallerIdentity, from {@link SandboxAccounts}. Session expirations are wall-clock times (SDK
 * credential caches compare them with the system clock, not the sandbox clock) and are not
 * enforced.
 *
 * <p>Call log: {@code bucket} = RoleArn, {@code key} = RoleSessionName.
 */
final class StsHandler implements ServiceHandler {

  static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

  private final SandboxAccounts accounts;
  private final Clock wallClock;
  private final AtomicLong requestIds = new AtomicLong();

  StsHandler(SandboxAccounts accounts, Clock wallClock) {
    this.accounts = accounts;
    this.wallClock = wallClock;
  }

  @Override
  public String service() {
    return "sts";
  }

  @Override
  public RequestTarget target(SandboxRequest req) {
    Map<String, String> p = QueryXml.params(req);
    return new RequestTarget(
        p.getOrDefault("Action", "MissingAction"), p.get("RoleArn"), p.get("RoleSessionName"));
  }

  @Override
  public SandboxResponse handle(SandboxRequest req, RequestTarget target) {
    Map<String, String> p = QueryXml.params(req);
    SandboxAccounts.Caller caller = accounts.caller(req.scope().accessKeyId());
    return switch (target.operation()) {
      case "AssumeRole" -> assumeRole(caller, p);
      case "GetCallerIdentity" ->
          ok(
              "GetCallerIdentity",
              w ->
                  w.element("Arn", caller.arn())
                      .element("UserId", caller.userId())
                      .element("Account", caller.account()));
      default ->
          throw new ServiceError(
                  400,
                  "InvalidAction",
                  "Could not find operation "
                      + target.operation()
                      + " for version 2011-06-15 (the dbops sandbox, a test double, speaks AssumeRole and GetCallerIdentity)")
              .exception();
    };
  }

  private SandboxResponse assumeRole(SandboxAccounts.Caller caller, Map<String, String> p) {
    Duration duration = SandboxAccounts.DEFAULT_SESSION_DURATION;
    if (p.containsKey("DurationSeconds")) {
      try {
        duration = Duration.ofSeconds(Long.parseLong(p.get("DurationSeconds")));
      } catch (NumberFormatException e) {
        throw new ServiceError(
                400, "ValidationError", "Invalid DurationSeconds: " + p.get("DurationSeconds"))
            .exception();
      }
    }
    SandboxAccounts.Session s =
        accounts.assumeRole(
            caller, p.get("RoleArn"), p.get("RoleSessionName"), duration, wallClock.instant());
    return ok(
        "AssumeRole",
        w ->
            w.start("AssumedRoleUser")
                .element("AssumedRoleId", s.assumedRoleId())
                .element("Arn", s.assumedRoleArn())
                .end()
                .start("Credentials")
                .element("AccessKeyId", s.accessKeyId())
                .element("SecretAccessKey", s.secretAccessKey())
                .element("SessionToken", s.sessionToken())
                .element("Expiration", Timestamps.iso(s.expiration()))
                .end());
  }

  @Override
  public SandboxResponse error(SandboxRequest req, RequestTarget target, ServiceError error) {
    String requestId = nextRequestId();
    return SandboxResponse.xml(error.status(), QueryXml.error(NAMESPACE, error, requestId))
        .header("Content-Type", "text/xml")
        .header("x-amzn-RequestId", requestId);
  }

  @Override
  public Optional<ServiceError> faultError(
      Faults.Kind kind, SandboxRequest req, RequestTarget target) {
    return switch (kind) {
      case THROTTLE -> Optional.of(new ServiceError(400, "Throttling", "Rate exceeded"));
      case ERROR_500 ->
          Optional.of(
              new ServiceError(
                  500,
                  "InternalFailure",
                  "The request processing has failed because of an unknown error, exception or failure."));
      case ERROR_503 ->
          Optional.of(new ServiceError(503, "ServiceUnavailable", "Service is unavailable."));
      case ACCESS_DENIED ->
          Optional.of(
              new ServiceError(
                  403,
                  "AccessDenied",
                  "User is not authorized to perform: sts:"
                      + target.operation()
                      + " (injected by the sandbox)"));
      case INVALID_PARAMETER ->
          Optional.of(
              new ServiceError(
                  400,
                  "ValidationError",
                  "Invalid parameter for " + target.operation() + " (injected by the sandbox)"));
      case NOT_FOUND, EXPEDITED_UNAVAILABLE, DROP_CONNECTION, LATENCY -> Optional.empty();
    };
  }

  private SandboxResponse ok(String action, java.util.function.Consumer<XmlWriter> result) {
    String requestId = nextRequestId();
    return SandboxResponse.xml(200, QueryXml.response(NAMESPACE, action, requestId, result))
        .header("Content-Type", "text/xml")
        .header("x-amzn-RequestId", requestId);
  }

  private String nextRequestId() {
    return String.format("SANDBOX-STS-%09d", requestIds.incrementAndGet());
  }
}
