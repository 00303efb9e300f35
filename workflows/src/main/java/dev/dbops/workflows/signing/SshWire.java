package dev.dbops.workflows.signing;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The SSH wire encoding (RFC 4251 §5): uint32, string (length-prefixed bytes), mpint. */
public final class SshWire {
  private SshWire() {}

  /** Reads a buffer front to back; every read checks the bounds and says what was short. */
  public static final class Reader {
    private final byte[] data;
    private int pos;

    public Reader(byte[] data) {
      this.data = data;
    }

    public int uint32() {
      need(4, "uint32");
      int v =
          ((data[pos] & 0xff) << 24)
              | ((data[pos + 1] & 0xff) << 16)
              | ((data[pos + 2] & 0xff) << 8)
              | (data[pos + 3] & 0xff);
      pos += 4;
      return v;
    }

    public byte[] bytes(int n, String what) {
      need(n, what);
      byte[] out = Arrays.copyOfRange(data, pos, pos + n);
      pos += n;
      return out;
    }

    public byte[] string() {
      int n = uint32();
      if (n < 0) throw new SignatureFormatException("string length out of range");
      return bytes(n, "string");
    }

    public String text() {
      return new String(string(), StandardCharsets.UTF_8);
    }

    public BigInteger mpint() {
      return new BigInteger(string());
    }

    public boolean atEnd() {
      return pos == data.length;
    }

    private void need(int n, String what) {
      if (n < 0 || data.length - pos < n) throw new SignatureFormatException("truncated " + what);
    }
  }

  /** Builds a buffer in the same encoding. */
  public static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Writer raw(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    public Writer uint32(int v) {
      out.write(v >>> 24);
      out.write(v >>> 16);
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    public Writer string(byte[] b) {
      uint32(b.length);
      return raw(b);
    }

    public Writer string(String s) {
      return string(s.getBytes(StandardCharsets.UTF_8));
    }

    public Writer mpint(BigInteger v) {
      return string(v.toByteArray());
    }

    public byte[] toBytes() {
      return out.toByteArray();
    }
  }
}
