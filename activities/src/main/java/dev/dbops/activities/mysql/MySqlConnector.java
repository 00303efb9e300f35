package dev.dbops.activities.mysql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens Connector/J connections with {@link MySqlSettings}. The password goes in the connection
 * properties, never in the URL (which may end up in a log or an exception message).
 */
public final class MySqlConnector {
  private final MySqlSettings settings;

  public MySqlConnector(MySqlSettings settings) {
    this.settings = settings;
  }

  public MySqlSettings settings() {
    return settings;
  }

  /** {@code jdbc:mysql://host:port/?connectTimeout=…&socketTimeout=…&sslMode=…}; no schema. */
  public String url(String host, int port) {
    return "jdbc:mysql://"
        + hostPart(host)
        + ":"
        + port
        + "/"
        + "?connectTimeout="
        + settings.connectTimeout().toMillis()
        + "&socketTimeout="
        + settings.socketTimeout().toMillis()
        + "&sslMode="
        + settings.sslMode();
  }

  /** One connection attempt; a {@link SQLException} is for {@link SqlFailures} to sort. */
  public Connection open(String host, int port, String user, String password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    return DriverManager.getConnection(url(host, port), props);
  }

  /** {@code host:port} as messages show it. */
  public static String target(String host, int port) {
    return hostPart(host) + ":" + port;
  }

  private static String hostPart(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
