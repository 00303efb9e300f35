package dev.dbops.activities.restore;

import dev.dbops.activities.aws.AwsFailures;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.restore.ObjectInfo;
import dev.dbops.workflows.restore.ObjectOutcome;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * DOWNLOAD delivery of one object: bytes go to {@code <dir>/<key>.part}; a part left by an
 * earlier attempt is completed with {@code Range: bytes=<length>-} (guarded by {@code If-Match}
 * on the ETag, so a replaced object restarts from zero); the part is then checked against the
 * size S3 reports and, when the ETag is a plain MD5, against the MD5, and only then renamed
 * atomically to {@code <dir>/<key>}. A final file whose MD5 matches is left alone.
 */
final class ObjectDownloader {
  private static final Logger log = LoggerFactory.getLogger(ObjectDownloader.class);

  static final String PART_SUFFIX = ".part";
  private static final int BUFFER_BYTES = 1 << 16;
  private static final Pattern CONTENT_RANGE_TOTAL = Pattern.compile("/(\\d+)\\s*$");

  private final S3Client s3;

  ObjectDownloader(S3Client s3) {
    this.s3 = s3;
  }

  ObjectOutcome download(String bucket, ObjectInfo o, Path directory) {
    String uri = "s3://" + bucket + "/" + o.key();
    Path dir = directory.toAbsolutePath().normalize();
    Path target = resolveInside(dir, o.key());
    if (o.key().endsWith("/")) {
      createDirectories(target);
      return outcome(o, ObjectOutcome.NOT_NEEDED, target + " (directory marker)");
    }
    createDirectories(target.getParent());

    String listedMd5 = S3ObjectStates.plainMd5(o.etag());
    if (Files.isRegularFile(target) && listedMd5 != null) {
      Digests existing = Digests.of(target);
      if (existing.size() == o.size() && existing.md5().equals(listedMd5)) {
        log.info("{} already at {} with matching MD5; skipped", uri, target);
        return delivered(o, target, existing, "already present");
      }
    }

    Path part = target.resolveSibling(target.getFileName() + PART_SUFFIX);
    long have = Files.isRegularFile(part) ? size(part) : 0;
    if (have > o.size()) {
      delete(part);
      have = 0;
    }
    Fetched fetched = have > 0 && have == o.size()
        ? alreadyComplete(bucket, o, uri)
        : fetch(bucket, o, uri, part, have);
    if (fetched == null) {
      log.warn("{} changed since the partial download in {}; starting over", uri, part);
      delete(part);
      have = 0;
      fetched = fetch(bucket, o, uri, part, 0);
    }

    Digests got = Digests.of(part);
    if (got.size() != fetched.totalSize()) {
      delete(part);
      throw ApplicationFailure.newFailure(uri + ": downloaded " + got.size() + " bytes but S3 "
          + "reports " + fetched.totalSize() + "; deleted " + part + ", the retry downloads it "
          + "again", ErrorTypes.CHECKSUM_MISMATCH);
    }
    String expectedMd5 = fetched.md5Comparable() ? S3ObjectStates.plainMd5(fetched.etag()) : null;
    if (expectedMd5 != null && !expectedMd5.equals(got.md5())) {
      delete(part);
      throw ApplicationFailure.newFailure(uri + ": MD5 " + got.md5() + " of the downloaded bytes "
          + "does not match the ETag " + expectedMd5 + (have > 0 ? " (resumed at byte " + have + ")" : "")
          + "; deleted " + part + ", the retry downloads it again", ErrorTypes.CHECKSUM_MISMATCH);
    }
    try {
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw localFailure("renaming " + part + " to " + target, e);
    }
    String note = (have > 0 ? "resumed at byte " + have : null);
    if (expectedMd5 == null) {
      note = (note == null ? "" : note + "; ") + "ETag is not an MD5 (multipart or KMS): size verified";
    }
    log.info("{} downloaded to {} ({} bytes{})", uri, target, got.size(),
        have > 0 ? ", resumed at byte " + have : "");
    return delivered(o, target, got, note);
  }

  /** What a GET said about the object, for verification. */
  private record Fetched(long totalSize, String etag, boolean md5Comparable) {}

  /** The part already holds every byte: ask S3 (HEAD) what they should hash to. */
  private Fetched alreadyComplete(String bucket, ObjectInfo o, String uri) {
    HeadObjectResponse h = AwsFailures.call("HeadObject", uri,
        () -> s3.headObject(r -> r.bucket(bucket).key(o.key())));
    return new Fetched(h.contentLength(), S3ObjectStates.stripQuotes(h.eTag()),
        md5Comparable(h.serverSideEncryptionAsString(), h.sseCustomerAlgorithm()));
  }

  /** GETs the object from byte {@code from} into {@code part}; null when the part is stale. */
  private Fetched fetch(String bucket, ObjectInfo o, String uri, Path part, long from) {
    GetObjectRequest.Builder req = GetObjectRequest.builder().bucket(bucket).key(o.key());
    if (from > 0) {
      req.range("bytes=" + from + "-");
      if (o.etag() != null) req.ifMatch("\"" + o.etag() + "\"");
    }
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = s3.getObject(req.build());
    } catch (SdkException e) {
      String code = AwsFailures.errorCode(e);
      if (from > 0 && ("PreconditionFailed".equals(code) || "InvalidRange".equals(code))) return null;
      throw AwsFailures.failure("GetObject", uri, e);
    }
    GetObjectResponse r = in.response();
    OpenOption[] mode = from > 0
        ? new OpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.APPEND}
        : new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING};
    try (InputStream body = in; OutputStream out = Files.newOutputStream(part, mode)) {
      copy(body, out, uri, part);
    } catch (IOException e) {
      throw localFailure("writing " + part, e);
    }
    long total = totalFromContentRange(r.contentRange(),
        from + (r.contentLength() == null ? 0 : r.contentLength()));
    return new Fetched(total, S3ObjectStates.stripQuotes(r.eTag()),
        md5Comparable(r.serverSideEncryptionAsString(), r.sseCustomerAlgorithm()));
  }

  private static void copy(InputStream in, OutputStream out, String uri, Path part) {
    byte[] buf = new byte[BUFFER_BYTES];
    while (true) {
      int n;
      try {
        n = in.read(buf);
      } catch (IOException e) {
        throw AwsFailures.streamFailure("GetObject", uri, e);
      } catch (SdkException e) {
        throw AwsFailures.failure("GetObject", uri, e);
      }
      if (n < 0) return;
      try {
        out.write(buf, 0, n);
      } catch (IOException e) {
        throw localFailure("writing " + part, e);
      }
    }
  }

  /** SSE-KMS and SSE-C objects have ETags that look like, but are not, the MD5. */
  private static boolean md5Comparable(String sse, String sseCustomerAlgorithm) {
    return sseCustomerAlgorithm == null && (sse == null || !sse.startsWith("aws:kms"));
  }

  static long totalFromContentRange(String contentRange, long fallback) {
    if (contentRange == null) return fallback;
    Matcher m = CONTENT_RANGE_TOTAL.matcher(contentRange);
    return m.find() ? Long.parseLong(m.group(1)) : fallback;
  }

  /** {@code dir/key}, refusing keys that would land outside {@code dir} ({@code ..}, absolute). */
  static Path resolveInside(Path dir, String key) {
    Path target;
    try {
      target = dir.resolve(key).normalize();
    } catch (InvalidPathException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "key '" + key + "' is not a valid file name: " + e.getMessage(), ErrorTypes.INVALID_PARAMETER);
    }
    if (key.isEmpty() || !target.startsWith(dir) || target.equals(dir)) {
      throw ApplicationFailure.newNonRetryableFailure("key '" + key + "' would be written outside "
          + "the delivery directory " + dir + "; refused", ErrorTypes.INVALID_PARAMETER);
    }
    return target;
  }

  private static ObjectOutcome delivered(ObjectInfo o, Path target, Digests d, String note) {
    return outcome(o, ObjectOutcome.DELIVERED, target + " md5=" + d.md5() + " sha256=" + d.sha256()
        + (note == null ? "" : " (" + note + ")"));
  }

  private static ObjectOutcome outcome(ObjectInfo o, String outcome, String detail) {
    return new ObjectOutcome(o.key(), o.storageClass(), o.size(), outcome, detail);
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw localFailure("creating directory " + dir, e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw localFailure("reading the size of " + file, e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw localFailure("deleting " + file, e);
    }
  }

  /** Disk trouble on the worker (full, permissions): worth retrying once someone looks. */
  private static ApplicationFailure localFailure(String what, IOException e) {
    return ApplicationFailure.newFailureWithCause(what + " failed: " + e, ErrorTypes.DELIVERY_FAILED, e);
  }

  /** Size, MD5 and SHA-256 of a local file, read once. */
  record Digests(long size, String md5, String sha256) {
    static Digests of(Path file) {
      try (InputStream in = Files.newInputStream(file)) {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[BUFFER_BYTES];
        long size = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
          md5.update(buf, 0, n);
          sha.update(buf, 0, n);
          size += n;
        }
        HexFormat hex = HexFormat.of();
        return new Digests(size, hex.formatHex(md5.digest()), hex.formatHex(sha.digest()));
      } catch (IOException e) {
        throw localFailure("reading " + file, e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
