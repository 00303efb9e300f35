package dev.dbops.workflows.binlog;

import dev.dbops.workflows.common.DbLogin;

/** A MySQL endpoint and how to log in (password by reference only). */
public record DbTarget(String host, int port, DbLogin login) {
  String problem(String field) {
    if (host == null || !host.matches("^[A-Za-z0-9.:-]{1,253}$"))
      return field + ".host: '" + host + "' is not a host name";
    if (port < 1 || port > 65535) return field + ".port: must be 1..65535, was " + port;
    if (login == null) return field + ".login: required";
    return login.problem(field + ".login");
  }

  public String address() {
    return host + ":" + port;
  }

  /**
   * The server as {@link dev.dbops.workflows.common.TargetLocks} names it: every spelling of it
   * alike.
   */
  public String lockTarget() {
    return dev.dbops.workflows.common.TargetLocks.mysql(canonicalHost(host), port);
  }

  /**
   * Whether both name the same server as far as the names tell: host names compare without case and
   * trailing dot, and every loopback spelling (localhost, 127.x.x.x, ::1) is one host.
   */
  boolean sameServerAs(DbTarget other) {
    return other != null
        && port == other.port
        && canonicalHost(host).equals(canonicalHost(other.host));
  }

  private static String canonicalHost(String h) {
    String c = h == null ? "" : h.strip().toLowerCase(java.util.Locale.ROOT);
    if (c.endsWith(".")) c = c.substring(0, c.length() - 1);
    if (c.equals("localhost")
        || c.startsWith("127.")
        || c.equals("::1")
        || c.equals("0:0:0:0:0:0:0:1")) {
      return "loopback";
    }
    return c;
  }
}
