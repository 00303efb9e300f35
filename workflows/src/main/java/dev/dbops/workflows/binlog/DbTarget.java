package dev.dbops.workflows.binlog;

import dev.dbops.workflows.upgrade.DbLogin;

/** A MySQL endpoint and how to log in (password by reference only). */
public record DbTarget(String host, int port, DbLogin login) {
  String problem(String field) {
    if (host == null || !host.matches("^[A-Za-z0-9.:-]{1,253}$")) return field + ".host: '" + host + "' is not a host name";
    if (port < 1 || port > 65535) return field + ".port: must be 1..65535, was " + port;
    if (login == null) return field + ".login: required";
    return login.problem(field + ".login");
  }

  public String address() {
    return host + ":" + port;
  }
}
