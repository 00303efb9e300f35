package dev.dbops.activities.mysql;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How activities connect to MySQL / Aurora with Connector/J.
 *
 * @param sslMode Connector/J {@code sslMode}: {@code PREFERRED} against real clusters, {@code
 *     DISABLED} for the loopback MariaDB of tests and dev mode (it runs without TLS)
 * @param connectTimeout TCP connect timeout ({@code connectTimeout})
 * @param socketTimeout a read that waits longer fails, retryably ({@code socketTimeout})
 * @param reconnectFor how long {@code verify} keeps trying to connect within one attempt before it
 *     fails retryably and leaves the next try to Temporal
 * @param reconnectPause the pause between those connection attempts
 */
public record MySqlSettings(
    String sslMode,
    Duration connectTimeout,
    Duration socketTimeout,
    Duration reconnectFor,
    Duration reconnectPause) {
  static final Set<String> SSL_MODES =
      Set.of("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY");

  public MySqlSettings {
    Objects.requireNonNull(sslMode, "sslMode");
    if (!SSL_MODES.contains(sslMode)) {
      throw new IllegalArgumentException(
          "sslMode must be one of " + SSL_MODES + ", was " + sslMode);
    }
    positive(connectTimeout, "connectTimeout");
    positive(socketTimeout, "socketTimeout");
    Objects.requireNonNull(reconnectFor, "reconnectFor");
    if (reconnectFor.isNegative())
      throw new IllegalArgumentException("reconnectFor must not be negative");
    positive(reconnectPause, "reconnectPause");
  }

  /** Real clusters: TLS when offered, 10 s connect, 60 s reads, reconnect for 2 min every 5 s. */
  public static MySqlSettings defaults() {
    return new MySqlSettings(
        "PREFERRED",
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofMinutes(2),
        Duration.ofSeconds(5));
  }

  /** The loopback MariaDB of tests and dev mode: no TLS, otherwise {@link #defaults()}. */
  public static MySqlSettings loopback() {
    return defaults().withSslMode("DISABLED");
  }

  public MySqlSettings withSslMode(String mode) {
    return new MySqlSettings(mode, connectTimeout, socketTimeout, reconnectFor, reconnectPause);
  }

  public MySqlSettings withTimeouts(Duration connect, Duration socket) {
    return new MySqlSettings(sslMode, connect, socket, reconnectFor, reconnectPause);
  }

  public MySqlSettings withReconnect(Duration forHowLong, Duration pause) {
    return new MySqlSettings(sslMode, connectTimeout, socketTimeout, forHowLong, pause);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero())
      throw new IllegalArgumentException(name + " must be positive: " + d);
  }
}
