package dev.dbops.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** ListObjectsV2: request parameters, opaque continuation tokens, and the XML page. */
final class S3ListObjects {

  static final int MAX_KEYS = 1000;

  private S3ListObjects() {}

  static SandboxResponse handle(S3Sandbox s3, SandboxRequest req, String bucket) {
    String optional = req.header("x-amz-optional-object-attributes");
    S3Xml.ListRequest list =
        new S3Xml.ListRequest(
            req.query().get("prefix"),
            req.query().get("delimiter"),
            maxKeys(req.query().get("max-keys")),
            req.query().get("continuation-token"),
            req.query().get("start-after"),
            "url".equals(req.query().get("encoding-type")),
            optional != null && SandboxRequest.csv(optional).contains("RestoreStatus"));
    String after =
        list.continuationToken() != null ? untoken(list.continuationToken()) : list.startAfter();
    S3Sandbox.ListPage page =
        s3.list(bucket, list.prefix(), list.delimiter(), after, list.maxKeys());
    String next = page.truncated() ? token(page.nextMarker()) : null;
    return SandboxResponse.xml(200, S3Xml.listObjectsV2(bucket, list, page, next, s3.now()));
  }

  private static int maxKeys(String value) {
    if (value == null) {
      return MAX_KEYS;
    }
    try {
      int n = Integer.parseInt(value);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.min(n, MAX_KEYS);
    } catch (NumberFormatException e) {
      throw S3Errors.invalidArgument(
              "Provided max-keys not an integer or within integer range", "max-keys", value)
          .exception();
    }
  }

  static String token(String marker) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(marker.getBytes(StandardCharsets.UTF_8));
  }

  static String untoken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw S3Errors.invalidArgument(
              "The continuation token provided is incorrect", "continuation-token", token)
          .exception();
    }
  }
}
