package dev.dbops.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The two timestamp spellings of AWS REST-XML: HTTP dates in headers, ISO-8601 in XML bodies. */
final class Timestamps {

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private Timestamps() {}

  /** {@code Fri, 21 Dec 2012 00:00:00 GMT}. */
  static String httpDate(Instant t) {
    return HTTP_DATE.format(t);
  }

  /** {@code 2012-12-21T00:00:00.000Z}. */
  static String iso(Instant t) {
    return ISO_MILLIS.format(t);
  }
}
