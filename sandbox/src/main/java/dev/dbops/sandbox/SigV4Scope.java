package dev.dbops.sandbox;

/**
 * The credential scope of a SigV4-signed request ({@code AKID/20261122/us-east-1/s3/aws4_request}),
 * read from the {@code Authorization} header or a presigned URL's {@code X-Amz-Credential}.
 * Signatures are never verified: the sandbox accepts any credentials.
 *
 * @param region e.g. {@code us-east-1}, or null when the request is not signed
 * @param service e.g. {@code s3}, or null when the request is not signed
 */
record SigV4Scope(String accessKeyId, String region, String service) {

  static final SigV4Scope UNSIGNED = new SigV4Scope(null, null, null);

  static SigV4Scope parse(String authorizationHeader, String credentialQueryParam) {
    String credential = credentialQueryParam;
    if (authorizationHeader != null) {
      int at = authorizationHeader.indexOf("Credential=");
      if (at >= 0) {
        int start = at + "Credential=".length();
        int end = authorizationHeader.indexOf(',', start);
        credential =
            authorizationHeader
                .substring(start, end < 0 ? authorizationHeader.length() : end)
                .trim();
      }
    }
    if (credential == null) {
      return UNSIGNED;
    }
    String[] parts = credential.split("/");
    if (parts.length < 5) {
      return UNSIGNED;
    }
    return new SigV4Scope(parts[0], parts[2], parts[3]);
  }
}
