package dev.dbops.sandbox;

import java.time.Instant;
import java.util.Arrays;

/** GetObject and HeadObject responses: object headers, {@code x-amz-restore}, and byte ranges. */
final class S3GetObject {

  private S3GetObject() {}

  static SandboxResponse head(StoredObject o, Instant now) {
    return headers(SandboxResponse.of(200), o, now)
        .header("Content-Length", Long.toString(o.size()));
  }

  static SandboxResponse get(StoredObject o, SandboxRequest req, Instant now) {
    byte[] data = o.data();
    long size = data.length;
    long[] range = parseRange(req.header("Range"), size);
    if (range == null) {
      return headers(new SandboxResponse(200, java.util.Map.of(), data), o, now);
    }
    byte[] part = Arrays.copyOfRange(data, (int) range[0], (int) range[1] + 1);
    return headers(new SandboxResponse(206, java.util.Map.of(), part), o, now)
        .header("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
  }

  private static SandboxResponse headers(SandboxResponse response, StoredObject o, Instant now) {
    SandboxResponse r =
        response
            .header("Content-Type", o.contentType())
            .header("ETag", o.etag())
            .header("Last-Modified", Timestamps.httpDate(o.lastModified()))
            .header("Accept-Ranges", "bytes");
    if (!"STANDARD".equals(o.storageClass())) {
      r = r.header("x-amz-storage-class", o.storageClass());
    }
    String restore = S3Xml.restoreHeader(o, now);
    if (restore != null) {
      r = r.header("x-amz-restore", restore);
    }
    for (var m : o.metadata().entrySet()) {
      r = r.header("x-amz-meta-" + m.getKey(), m.getValue());
    }
    return r;
  }

  /**
   * {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} as inclusive [from, to]; null for no
   * range or one S3 ignores (several ranges, other units, unparsable).
   *
   * @throws ServiceException 416 InvalidRange when it starts past the end
   */
  static long[] parseRange(String header, long size) {
    if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
      return null;
    }
    String spec = header.substring("bytes=".length()).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String first = spec.substring(0, dash).trim();
      String last = spec.substring(dash + 1).trim();
      long from;
      long to;
      if (first.isEmpty()) {
        long suffix = Long.parseLong(last);
        if (suffix == 0) {
          throw S3Errors.invalidRange(size).exception();
        }
        from = Math.max(0, size - suffix);
        to = size - 1;
      } else {
        from = Long.parseLong(first);
        to = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
        if (to < from && !last.isEmpty() && Long.parseLong(last) < from) {
          return null; // a-b with b < a is syntactically invalid: ignored
        }
      }
      if (from >= size) {
        throw S3Errors.invalidRange(size).exception();
      }
      return new long[] {from, to};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
