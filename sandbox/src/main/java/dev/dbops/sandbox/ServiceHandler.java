package dev.dbops.sandbox;

import java.util.Optional;

/**
 * One AWS service spoken by the sandbox (S3, RDS, Route53, STS). The dispatcher picks a handler by
 * the SigV4 credential scope's service name.
 */
interface ServiceHandler {

  /** SigV4 service name, e.g. {@code s3}, {@code rds}, {@code route53}, {@code sts}. */
  String service();

  /** Names the operation (and resource) without side effects. */
  RequestTarget target(SandboxRequest request);

  /** Serves the call; may throw {@link ServiceException}, which is rendered with {@link #error}. */
  SandboxResponse handle(SandboxRequest request, RequestTarget target);

  /** Renders an error in this service's protocol (REST-XML, Query XML, …). */
  SandboxResponse error(SandboxRequest request, RequestTarget target, ServiceError error);

  /**
   * The error an injected fault produces for this call, or empty when the fault does not apply to
   * it (the call is then served normally). {@link Faults.Kind#DROP_CONNECTION} and {@link
   * Faults.Kind#LATENCY} are handled by the dispatcher and never reach this method.
   */
  Optional<ServiceError> faultError(Faults.Kind kind, SandboxRequest request, RequestTarget target);
}
