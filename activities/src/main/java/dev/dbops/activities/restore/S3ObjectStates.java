package dev.dbops.activities.restore;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dbops.workflows.restore.ObjectInfo;
import dev.dbops.workflows.restore.RestoreState;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.RestoreStatus;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Pure mapping from what S3 answers (listing entry, HEAD headers) to {@link ObjectInfo}. */
final class S3ObjectStates {
  private S3ObjectStates() {}

  static final String STANDARD = "STANDARD";

  private static final Pattern ONGOING =
      Pattern.compile("ongoing-request\\s*=\\s*\"(true|false)\"");
  private static final Pattern EXPIRY = Pattern.compile("expiry-date\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern PLAIN_MD5 = Pattern.compile("^[0-9a-fA-F]{32}$");

  /** S3 lists keys in UTF-8 byte order; Java's String order differs above U+FFFF. */
  static final Comparator<String> S3_KEY_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.getBytes(UTF_8), b.getBytes(UTF_8));

  /** A ListObjectsV2 entry listed with {@code OptionalObjectAttributes=RestoreStatus}. */
  static ObjectInfo fromListing(S3Object o, Instant now) {
    String storageClass = storageClass(o.storageClassAsString());
    RestoreStatus rs = o.restoreStatus();
    RestoreState state =
        rs == null
            ? state(storageClass, false, null, now)
            : state(
                storageClass,
                Boolean.TRUE.equals(rs.isRestoreInProgress()),
                rs.restoreExpiryDate(),
                now);
    return info(
        o.key(),
        o.size(),
        storageClass,
        state,
        rs == null ? null : rs.restoreExpiryDate(),
        o.eTag());
  }

  /** A HeadObject answer: restore state from the {@code x-amz-restore} header. */
  static ObjectInfo fromHead(String key, HeadObjectResponse h, Instant now) {
    String storageClass = storageClass(h.storageClassAsString());
    Optional<RestoreHeader> restore = RestoreHeader.parse(h.restore());
    RestoreState state =
        restore
            .map(r -> state(storageClass, r.ongoing(), r.expiry(), now))
            .orElseGet(() -> state(storageClass, false, null, now));
    return info(
        key,
        h.contentLength() == null ? 0 : h.contentLength(),
        storageClass,
        state,
        restore.map(RestoreHeader::expiry).orElse(null),
        h.eTag());
  }

  private static ObjectInfo info(
      String key, Long size, String storageClass, RestoreState state, Instant expiry, String etag) {
    return new ObjectInfo(
        key,
        size == null ? 0 : size,
        storageClass,
        state,
        state == RestoreState.RESTORED ? expiry.toString() : null,
        stripQuotes(etag));
  }

  /** An absent storage class means STANDARD (HEAD omits the header for it). */
  static String storageClass(String raw) {
    return raw == null || raw.isBlank() ? STANDARD : raw;
  }

  /** The rule of {@link ObjectInfo#archived()}, kept in that one place. */
  static boolean archived(String storageClass) {
    return new ObjectInfo("", 0, storageClass, RestoreState.NONE, null, null).archived();
  }

  /**
   * The restore state. A restored copy whose expiry has passed is treated as gone (S3 removes it
   * shortly after), so nobody plans a delivery around bytes that are about to vanish.
   */
  static RestoreState state(String storageClass, boolean ongoing, Instant expiry, Instant now) {
    if (!archived(storageClass)) return RestoreState.NOT_ARCHIVED;
    if (ongoing) return RestoreState.IN_PROGRESS;
    if (expiry != null && expiry.isAfter(now)) return RestoreState.RESTORED;
    return RestoreState.NONE;
  }

  static String stripQuotes(String etag) {
    if (etag == null) return null;
    String e = etag.trim();
    if (e.startsWith("W/")) e = e.substring(2);
    if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\""))
      e = e.substring(1, e.length() - 1);
    return e;
  }

  /** The ETag when it is the object's MD5 (single-part, non-KMS uploads), else null. */
  static String plainMd5(String etag) {
    String e = stripQuotes(etag);
    return e != null && PLAIN_MD5.matcher(e).matches() ? e.toLowerCase() : null;
  }

  /** The {@code x-amz-restore} header: {@code ongoing-request="false", expiry-date="…"}. */
  record RestoreHeader(boolean ongoing, Instant expiry) {
    static Optional<RestoreHeader> parse(String header) {
      if (header == null || header.isBlank()) return Optional.empty();
      Matcher ongoing = ONGOING.matcher(header);
      if (!ongoing.find()) return Optional.empty();
      Matcher expiry = EXPIRY.matcher(header);
      return Optional.of(
          new RestoreHeader(
              Boolean.parseBoolean(ongoing.group(1)),
              expiry.find() ? parseDate(expiry.group(1)) : null));
    }

    private static Instant parseDate(String text) {
      try {
        return ZonedDateTime.parse(text.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        return Instant.parse(text.trim());
      }
    }
  }
}
