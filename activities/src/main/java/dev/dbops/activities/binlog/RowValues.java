package dev.dbops.activities.binlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a row image value as mysql-binlog-connector-java decodes it (character and binary columns
 * as bytes, dates and times as microseconds: see {@link SourceBinlogReader}) into what JDBC binds
 * for the replica's column, and both into the text the journal shows. What it cannot convert
 * faithfully (a character set it does not know, geometry, negative TIME) is refused. Pure.
 */
final class RowValues {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TEXT =
      Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "json");
  private static final Set<String> BYTES =
      Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob");
  private static final Map<String, Integer> INT_BYTES =
      Map.of("tinyint", 1, "smallint", 2, "mediumint", 3, "int", 4, "integer", 4, "bigint", 8);

  private RowValues() {}

  /** A value the re-apply cannot bind faithfully. */
  static final class Unsupported extends Exception {
    Unsupported(String message) {
      super(message, null, false, false);
    }
  }

  /** The JDBC value for {@code column} (null stays null). */
  static Object bind(TableShape.Column column, Serializable v) throws Unsupported {
    if (v == null) return null;
    String type = column.dataType().toLowerCase(Locale.ROOT);
    if (INT_BYTES.containsKey(type) && v instanceof Number n && !(v instanceof BigDecimal)) {
      long value = n.longValue();
      if (!column.unsigned() || value >= 0) return value;
      int bytes = INT_BYTES.get(type);
      return bytes == 8
          ? BigInteger.valueOf(value).add(BigInteger.ONE.shiftLeft(64))
          : value + (1L << (8 * bytes));
    }
    if (v instanceof byte[] b) {
      if (BYTES.contains(type)) return b;
      if (TEXT.contains(type) || type.equals("enum") || type.equals("set")) return text(column, b);
      throw new Unsupported("column " + column.name() + " (" + type + ") arrived as bytes");
    }
    if (v instanceof Long micros && (type.equals("datetime") || type.equals("timestamp"))) {
      return LocalDateTime.ofEpochSecond(
          Math.floorDiv(micros, 1_000_000L),
          (int) Math.floorMod(micros, 1_000_000L) * 1000,
          ZoneOffset.UTC);
    }
    if (v instanceof Long micros && type.equals("date")) {
      return LocalDate.ofEpochDay(Math.floorDiv(micros, 86_400_000_000L));
    }
    if (v instanceof Long micros && type.equals("time")) {
      if (micros < 0) throw new Unsupported("column " + column.name() + ": negative TIME");
      long s = micros / 1_000_000;
      return String.format(
          Locale.ROOT, "%02d:%02d:%02d.%06d", s / 3600, s / 60 % 60, s % 60, micros % 1_000_000);
    }
    if (v instanceof BitSet bits) {
      long[] words = bits.toLongArray();
      return words.length == 0 ? 0L : words[0];
    }
    if (v instanceof Number || v instanceof String) return v;
    throw new Unsupported(
        "column "
            + column.name()
            + " ("
            + type
            + "): a "
            + v.getClass().getSimpleName()
            + " value is not re-applied");
  }

  /**
   * A row image bound column by column ({@link #bind}), null for none; {@code t} has the image's
   * columns.
   */
  static Object[] bind(TableShape t, Serializable[] image) throws Unsupported {
    if (image == null) return null;
    Object[] out = new Object[image.length];
    for (int i = 0; i < image.length; i++) out[i] = bind(t.columns().get(i), image[i]);
    return out;
  }

  /**
   * The row as JSON {column: value}, values as the journal shows them (bytes of binary columns as
   * hex).
   */
  static String json(TableShape shape, Object[] bound) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < shape.columns().size() && i < bound.length; i++)
      row.put(shape.columns().get(i).name(), shown(bound[i]));
    return write(row);
  }

  /** {"before": …, "after": …} of an update. */
  static String json(TableShape shape, Object[] before, Object[] after) {
    Map<String, Object> both = new LinkedHashMap<>();
    both.put("before", read(json(shape, before)));
    both.put("after", read(json(shape, after)));
    return write(both);
  }

  static Object shown(Object v) {
    if (v == null) return null;
    if (v instanceof byte[] b) return "0x" + HexFormat.of().formatHex(b);
    if (v instanceof Number || v instanceof Boolean)
      return v instanceof BigInteger || v instanceof BigDecimal ? v.toString() : v;
    return v.toString();
  }

  static String write(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("row not writable as JSON", e);
    }
  }

  private static Object read(String json) {
    try {
      return JSON.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(TableShape.Column column, byte[] b) throws Unsupported {
    String cs = column.charset() == null ? "utf8mb4" : column.charset().toLowerCase(Locale.ROOT);
    Charset charset =
        cs.startsWith("utf8")
            ? StandardCharsets.UTF_8
            : cs.equals("ascii")
                ? StandardCharsets.US_ASCII
                : cs.equals("latin1") ? Charset.forName("windows-1252") : null;
    if (charset == null)
      throw new Unsupported(
          "column " + column.name() + ": character set " + cs + " is not re-applied");
    try {
      return charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Unsupported("column " + column.name() + ": bytes that are not " + cs);
    }
  }
}
