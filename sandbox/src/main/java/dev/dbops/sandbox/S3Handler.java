package dev.dbops.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * S3 over REST-XML, path-style ({@code /{bucket}/{key...}}): names each request's operation and
 * serves it from {@link S3Sandbox}. Bodies and errors are shaped by {@link S3Xml}.
 */
final class S3Handler implements ServiceHandler {

  /**
   * Sub-resources of a bucket or object the sandbox does not serve (answered 501 NotImplemented).
   */
  private static final Set<String> UNSUPPORTED_SUBRESOURCES =
      Set.of(
          "acl",
          "tagging",
          "versioning",
          "policy",
          "lifecycle",
          "cors",
          "uploads",
          "uploadId",
          "partNumber",
          "location",
          "versions",
          "website",
          "logging",
          "notification",
          "replication",
          "encryption",
          "object-lock",
          "retention",
          "legal-hold",
          "attributes",
          "select",
          "torrent",
          "delete",
          "accelerate",
          "requestPayment",
          "ownershipControls",
          "publicAccessBlock",
          "intelligent-tiering",
          "inventory",
          "metrics",
          "analytics");

  private final S3Sandbox s3;
  private final AtomicLong requestIds = new AtomicLong();

  S3Handler(S3Sandbox s3) {
    this.s3 = s3;
  }

  @Override
  public String service() {
    return "s3";
  }

  @Override
  public RequestTarget target(SandboxRequest req) {
    List<String> segments = req.segments(2);
    String bucket = segments.isEmpty() ? null : segments.get(0);
    String key = segments.size() > 1 && !segments.get(1).isEmpty() ? segments.get(1) : null;
    return new RequestTarget(operation(req, bucket, key), bucket, key);
  }

  private static String operation(SandboxRequest req, String bucket, String key) {
    String method = req.method();
    Optional<String> subresource =
        req.query().keySet().stream().filter(UNSUPPORTED_SUBRESOURCES::contains).findFirst();
    if (subresource.isPresent()) {
      return "Unsupported(" + method + " ?" + subresource.get() + ")";
    }
    if (bucket == null) {
      return "GET".equals(method) ? "ListBuckets" : "Unsupported(" + method + " /)";
    }
    if (key == null) {
      return switch (method) {
        case "PUT" -> "CreateBucket";
        case "HEAD" -> "HeadBucket";
        case "DELETE" -> "DeleteBucket";
        case "GET" -> "2".equals(req.query().get("list-type")) ? "ListObjectsV2" : "ListObjects";
        default -> "Unsupported(" + method + " bucket)";
      };
    }
    return switch (method) {
      case "PUT" -> req.header("x-amz-copy-source") != null ? "CopyObject" : "PutObject";
      case "GET" -> "GetObject";
      case "HEAD" -> "HeadObject";
      case "DELETE" -> "DeleteObject";
      case "POST" -> req.hasQuery("restore") ? "RestoreObject" : "Unsupported(POST object)";
      default -> "Unsupported(" + method + " object)";
    };
  }

  @Override
  public SandboxResponse handle(SandboxRequest req, RequestTarget t) {
    s3.checkAccess(t.bucket());
    return withCommonHeaders(serve(req, t), nextRequestId());
  }

  private SandboxResponse serve(SandboxRequest req, RequestTarget t) {
    return switch (t.operation()) {
      case "ListBuckets" -> SandboxResponse.xml(200, S3Xml.listBuckets(s3.buckets(), s3.now()));
      case "CreateBucket" -> createBucket(req, t.bucket());
      case "HeadBucket" -> {
        s3.headBucket(t.bucket());
        yield SandboxResponse.of(200).header("x-amz-bucket-region", region(req));
      }
      case "DeleteBucket" -> deleteBucket(t.bucket());
      case "ListObjectsV2" -> S3ListObjects.handle(s3, req, t.bucket());
      case "PutObject" -> putObject(req, t);
      case "GetObject" -> S3GetObject.get(s3.readable(t.bucket(), t.key()), req, s3.now());
      case "HeadObject" -> S3GetObject.head(s3.get(t.bucket(), t.key()), s3.now());
      case "DeleteObject" -> {
        s3.delete(t.bucket(), t.key());
        yield SandboxResponse.of(204);
      }
      case "RestoreObject" -> restoreObject(req, t);
      case "CopyObject" -> copyObject(req, t);
      default -> throw S3Errors.notImplemented(t.operation()).exception();
    };
  }

  private SandboxResponse createBucket(SandboxRequest req, String bucket) {
    boolean created = s3.create(bucket);
    if (!created && !"us-east-1".equals(region(req))) {
      // us-east-1 answers 200 to re-creating a bucket you own; other regions answer 409
      throw S3Errors.bucketAlreadyOwnedByYou(bucket).exception();
    }
    return SandboxResponse.of(200).header("Location", "/" + bucket);
  }

  private SandboxResponse deleteBucket(String bucket) {
    s3.deleteBucket(bucket);
    return SandboxResponse.of(204);
  }

  private SandboxResponse putObject(SandboxRequest req, RequestTarget t) {
    byte[] data = req.body();
    String decodedLength = req.header("x-amz-decoded-content-length");
    if (decodedLength != null && Long.parseLong(decodedLength.trim()) != data.length) {
      throw new ServiceError(
              400,
              "IncompleteBody",
              "You did not provide the number of bytes specified by the Content-Length HTTP header")
          .exception();
    }
    Checksums.verify(req, data);
    StoredObject o =
        s3.put(
            t.bucket(),
            t.key(),
            data,
            req.header("x-amz-storage-class"),
            req.header("Content-Type"),
            userMetadata(req));
    SandboxResponse response = SandboxResponse.of(200).header("ETag", o.etag());
    for (Map.Entry<String, String> checksum : Checksums.sent(req).entrySet()) {
      response = response.header(checksum.getKey(), checksum.getValue());
    }
    return response;
  }

  private SandboxResponse restoreObject(SandboxRequest req, RequestTarget t) {
    S3Xml.RestoreRequest restore = S3Xml.parseRestoreRequest(req.body());
    S3Sandbox.RestoreOutcome outcome =
        s3.restore(t.bucket(), t.key(), restore.days(), restore.tier());
    return SandboxResponse.of(outcome == S3Sandbox.RestoreOutcome.STARTED ? 202 : 200);
  }

  private SandboxResponse copyObject(SandboxRequest req, RequestTarget t) {
    String source = req.header("x-amz-copy-source");
    int q = source.indexOf('?');
    if (q >= 0) {
      source = source.substring(0, q); // versionId: the sandbox keeps one version
    }
    source = SandboxRequest.decodePath(source.startsWith("/") ? source.substring(1) : source);
    int slash = source.indexOf('/');
    if (slash <= 0 || slash == source.length() - 1) {
      throw S3Errors.invalidArgument(
              "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
              "x-amz-copy-source",
              req.header("x-amz-copy-source"))
          .exception();
    }
    String srcBucket = source.substring(0, slash);
    String srcKey = source.substring(slash + 1);
    s3.checkAccess(srcBucket);
    boolean replace = "REPLACE".equalsIgnoreCase(req.header("x-amz-metadata-directive"));
    StoredObject copy =
        s3.copy(
            srcBucket,
            srcKey,
            t.bucket(),
            t.key(),
            req.header("x-amz-storage-class"),
            replace ? req.header("Content-Type") : null,
            replace ? userMetadata(req) : null);
    return SandboxResponse.xml(200, S3Xml.copyObjectResult(copy));
  }

  @Override
  public SandboxResponse error(SandboxRequest req, RequestTarget t, ServiceError error) {
    String requestId = nextRequestId();
    SandboxResponse response =
        req.isHead()
            ? SandboxResponse.of(error.status())
            : SandboxResponse.xml(error.status(), S3Xml.error(error, req.path(), requestId));
    return withCommonHeaders(response, requestId);
  }

  /** Adds the request-id headers every S3 response carries, and names the double. */
  private static SandboxResponse withCommonHeaders(SandboxResponse response, String requestId) {
    return response
        .header("x-amz-request-id", requestId)
        .header("x-amz-id-2", "dbops-sandbox/" + requestId)
        .header("Server", AwsSandbox.SERVER_NAME);
  }

  private String nextRequestId() {
    return String.format("SANDBOX%09d", requestIds.incrementAndGet());
  }

  @Override
  public Optional<ServiceError> faultError(Faults.Kind kind, SandboxRequest req, RequestTarget t) {
    return switch (kind) {
      case THROTTLE -> Optional.of(S3Errors.slowDown());
      case ERROR_500 -> Optional.of(S3Errors.internalError());
      case ERROR_503 -> Optional.of(S3Errors.serviceUnavailable());
      case EXPEDITED_UNAVAILABLE ->
          "RestoreObject".equals(t.operation()) && isExpedited(req)
              ? Optional.of(S3Errors.expeditedUnavailable())
              : Optional.empty();
      case ACCESS_DENIED -> Optional.of(S3Errors.accessDenied());
      case NOT_FOUND ->
          Optional.of(
              t.key() == null ? S3Errors.noSuchBucket(t.bucket()) : S3Errors.noSuchKey(t.key()));
      case INVALID_PARAMETER ->
          Optional.of(
              S3Errors.invalidArgument(
                  "Invalid argument" + " (injected by the sandbox)", "operation", t.operation()));
      case DROP_CONNECTION, LATENCY -> Optional.empty();
    };
  }

  private static boolean isExpedited(SandboxRequest req) {
    try {
      return "Expedited".equals(S3Xml.parseRestoreRequest(req.body()).tier());
    } catch (ServiceException e) {
      return false;
    }
  }

  private static Map<String, String> userMetadata(SandboxRequest req) {
    Map<String, String> metadata = new LinkedHashMap<>();
    req.headers()
        .forEach(
            (name, values) -> {
              if (name.toLowerCase().startsWith("x-amz-meta-") && !values.isEmpty()) {
                metadata.put(name.toLowerCase().substring("x-amz-meta-".length()), values.get(0));
              }
            });
    return metadata;
  }

  private static String region(SandboxRequest req) {
    return req.scope().region() == null ? "us-east-1" : req.scope().region();
  }
}
