package dev.dbops.activities.restore;

import dev.dbops.activities.aws.AwsFailures;
import dev.dbops.activities.common.ConfinedDirectory;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.restore.DeliveryPaths;
import dev.dbops.workflows.restore.ObjectInfo;
import dev.dbops.workflows.restore.ObjectOutcome;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
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
 * DOWNLOAD delivery of one object: the key becomes a path by {@link DeliveryPaths} and every file
 * is reached through {@link ConfinedDirectory} (no link followed, nothing outside the directory).
 * Bytes go to {@code <dir>/<key>.part}, the temp file and the resume point: a part left by an
 * earlier attempt is completed with {@code Range: bytes=<length>-} (guarded by {@code If-Match} on
 * the ETag, so a replaced object restarts from zero); the part is then checked against the size S3
 * reports and, when the ETag is a plain MD5, against the MD5, and only then given the name {@code
 * <dir>/<key>} atomically, never replacing a file: a final file with the same bytes means delivered
 * ("already present"), one with other bytes is not ours and fails the object (PathRefused)
 * untouched.
 */
final class ObjectDownloader {
  private static final Logger log = LoggerFactory.getLogger(ObjectDownloader.class);

  static final String PART_SUFFIX = DeliveryPaths.PART_SUFFIX;
  private static final int BUFFER_BYTES = 1 << 16;
  private static final Pattern CONTENT_RANGE_TOTAL = Pattern.compile("/(\\d+)\\s*$");

  private final S3Client s3;

  ObjectDownloader(S3Client s3) {
    this.s3 = s3;
  }

  ObjectOutcome download(String bucket, ObjectInfo o, ConfinedDirectory dir) {
    String uri = "s3://" + bucket + "/" + o.key();
    String refusal = DeliveryPaths.refusal(o.key());
    if (refusal != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "key '"
              + o.key()
              + "' cannot be a file under "
              + dir.root()
              + ": "
              + refusal
              + "; refused",
          ErrorTypes.PATH_REFUSED);
    }
    List<String> segments = DeliveryPaths.segments(o.key());
    if (DeliveryPaths.isDirectoryMarker(o.key())) {
      Path made = dir.directory(segments);
      return outcome(o, ObjectOutcome.NOT_NEEDED, made + " (directory marker)");
    }
    Path target = dir.file(segments);
    Path part = target.resolveSibling(target.getFileName() + PART_SUFFIX);
    dir.requireRegularOrAbsent(part);

    String listedMd5 = S3ObjectStates.plainMd5(o.etag());
    if (dir.isRegularFile(target)) {
      Digests existing = Digests.of(dir, target);
      if (existing.size() == o.size() && listedMd5 != null && existing.md5().equals(listedMd5)) {
        if (dir.isRegularFile(part) && sameFile(part, target)) dir.delete(part);
        log.info("{} already at {} with matching MD5; skipped", uri, target);
        return delivered(o, target, existing, "already present");
      }
      if (existing.size() != o.size()) throw notOurs(uri, target, existing, o.size());
      // Same size but no MD5 to compare with (or a KMS ETag that only looks like one): the bytes
      // are compared once downloaded.
    }

    long have = dir.isRegularFile(part) ? size(part) : 0;
    if (have > o.size()) {
      dir.delete(part);
      have = 0;
    }
    Fetched fetched =
        have > 0 && have == o.size()
            ? alreadyComplete(bucket, o, uri)
            : fetch(bucket, o, uri, dir, part, have);
    if (fetched == null) {
      log.warn("{} changed since the partial download in {}; starting over", uri, part);
      dir.delete(part);
      have = 0;
      fetched = fetch(bucket, o, uri, dir, part, 0);
    }

    Digests got = Digests.of(dir, part);
    if (got.size() != fetched.totalSize()) {
      dir.delete(part);
      throw ApplicationFailure.newFailure(
          uri
              + ": downloaded "
              + got.size()
              + " bytes but S3 "
              + "reports "
              + fetched.totalSize()
              + "; deleted "
              + part
              + ", the retry downloads it "
              + "again",
          ErrorTypes.CHECKSUM_MISMATCH);
    }
    String expectedMd5 = fetched.md5Comparable() ? S3ObjectStates.plainMd5(fetched.etag()) : null;
    if (expectedMd5 != null && !expectedMd5.equals(got.md5())) {
      dir.delete(part);
      throw ApplicationFailure.newFailure(
          uri
              + ": MD5 "
              + got.md5()
              + " of the downloaded bytes "
              + "does not match the ETag "
              + expectedMd5
              + (have > 0 ? " (resumed at byte " + have + ")" : "")
              + "; deleted "
              + part
              + ", the retry downloads it again",
          ErrorTypes.CHECKSUM_MISMATCH);
    }
    dir.file(segments); // the way to the target is checked again just before it gets its name
    if (!dir.placeNew(part, target)) {
      Digests there = Digests.of(dir, target);
      if (there.size() == got.size() && there.sha256().equals(got.sha256())) {
        dir.delete(part);
        return delivered(o, target, there, "already present");
      }
      dir.delete(part);
      throw notOurs(uri, target, there, got.size());
    }
    String note = (have > 0 ? "resumed at byte " + have : null);
    if (expectedMd5 == null) {
      note =
          (note == null ? "" : note + "; ")
              + "ETag is not an MD5 (multipart or KMS): size verified";
    }
    log.info(
        "{} downloaded to {} ({} bytes{})",
        uri,
        target,
        got.size(),
        have > 0 ? ", resumed at byte " + have : "");
    return delivered(o, target, got, note);
  }

  /** A file we did not write is where the object would go: it is left alone, the object fails. */
  private static ApplicationFailure notOurs(String uri, Path target, Digests there, long size) {
    return ApplicationFailure.newNonRetryableFailure(
        uri
            + ": "
            + target
            + " already exists with "
            + "other content ("
            + there.size()
            + " bytes, md5="
            + there.md5()
            + "; the object has "
            + size
            + " bytes); not overwritten — move it away to deliver this object",
        ErrorTypes.PATH_REFUSED);
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  /** What a GET said about the object, for verification. */
  private record Fetched(long totalSize, String etag, boolean md5Comparable) {}

  /** The part already holds every byte: ask S3 (HEAD) what they should hash to. */
  private Fetched alreadyComplete(String bucket, ObjectInfo o, String uri) {
    HeadObjectResponse h =
        AwsFailures.call(
            "HeadObject", uri, () -> s3.headObject(r -> r.bucket(bucket).key(o.key())));
    return new Fetched(
        h.contentLength(),
        S3ObjectStates.stripQuotes(h.eTag()),
        md5Comparable(h.serverSideEncryptionAsString(), h.sseCustomerAlgorithm()));
  }

  /** GETs the object from byte {@code from} into {@code part}; null when the part is stale. */
  private Fetched fetch(
      String bucket, ObjectInfo o, String uri, ConfinedDirectory dir, Path part, long from) {
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
      if (from > 0 && ("PreconditionFailed".equals(code) || "InvalidRange".equals(code)))
        return null;
      throw AwsFailures.failure("GetObject", uri, e);
    }
    GetObjectResponse r = in.response();
    try (InputStream body = in;
        OutputStream out = dir.newOutputStream(part, from > 0)) {
      copy(body, out, uri, part);
    } catch (IOException e) {
      throw localFailure("writing " + part, e);
    }
    long total =
        totalFromContentRange(
            r.contentRange(), from + (r.contentLength() == null ? 0 : r.contentLength()));
    return new Fetched(
        total,
        S3ObjectStates.stripQuotes(r.eTag()),
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

  private static ObjectOutcome delivered(ObjectInfo o, Path target, Digests d, String note) {
    return outcome(
        o,
        ObjectOutcome.DELIVERED,
        target
            + " md5="
            + d.md5()
            + " sha256="
            + d.sha256()
            + (note == null ? "" : " (" + note + ")"));
  }

  private static ObjectOutcome outcome(ObjectInfo o, String outcome, String detail) {
    return new ObjectOutcome(o.key(), o.storageClass(), o.size(), outcome, detail);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw localFailure("reading the size of " + file, e);
    }
  }

  private static ApplicationFailure localFailure(String what, IOException e) {
    return ConfinedDirectory.localFailure(what, e);
  }

  /** Size, MD5 and SHA-256 of a local file, read once. */
  record Digests(long size, String md5, String sha256) {
    static Digests of(ConfinedDirectory dir, Path file) {
      try (InputStream in = dir.newInputStream(file)) {
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
