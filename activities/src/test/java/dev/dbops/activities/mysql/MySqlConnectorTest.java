package dev.dbops.activities.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MySqlConnectorTest {
  @Test
  void givenDefaults_whenUrlBuilt_thenTimeoutsAndPreferredTlsAndNoSchemaNoPassword() {
    String url =
        new MySqlConnector(MySqlSettings.defaults()).url("db.cluster-x.rds.amazonaws.com", 3306);
    assertEquals(
        "jdbc:mysql://db.cluster-x.rds.amazonaws.com:3306/?connectTimeout=10000"
            + "&socketTimeout=60000&sslMode=PREFERRED",
        url);
  }

  @Test
  void givenLoopback_whenUrlBuilt_thenTlsDisabled() {
    MySqlSettings s =
        MySqlSettings.loopback().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertEquals(
        "jdbc:mysql://127.0.0.1:3307/?connectTimeout=1000&socketTimeout=2000&sslMode=DISABLED",
        new MySqlConnector(s).url("127.0.0.1", 3307));
  }

  @Test
  void givenIpv6Host_whenShown_thenBracketed() {
    assertEquals("[::1]:3306", MySqlConnector.target("::1", 3306));
  }

  @Test
  void givenUnknownSslMode_whenSettingsBuilt_thenRefused() {
    assertThrows(IllegalArgumentException.class, () -> MySqlSettings.defaults().withSslMode("ON"));
  }
}
