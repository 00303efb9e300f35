package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the binlog process tests read off {@code dbops dev} and a running catch-up. */
final class BinlogDevRuns {
  private BinlogDevRuns() {}

  static Connection connect(String hostPort, String user, String password) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mysql://" + hostPort + "/?sslMode=DISABLED", user, password);
  }

  /** The run's phase as {@code dbops status --json} says it, or what the CLI answered instead. */
  static String phase(String id, String address) {
    Cli.Result r = Cli.run("status", id, "--json", "--address", address);
    try {
      return r.exit() == 0
          ? Render.MAPPER.readTree(r.out()).path("status").path("phase").asText()
          : r.toString();
    } catch (Exception e) {
      return r.toString();
    }
  }

  /** The {@code ./dbops start binlog-catch-up …} line dev mode prints, as arguments. */
  static List<String> printedStartBinlog(String devOut) {
    String line =
        devOut
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("./dbops start binlog-catch-up "))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError("dev printed no start binlog-catch-up command:\n" + devOut));
    assertTrue(!line.contains("'"), "expected unquoted arguments: " + line);
    return new ArrayList<>(List.of(line.substring("./dbops ".length()).split(" +")));
  }

  /** Flag → value of the printed command (the first value of repeated flags). */
  static Map<String, String> flags(List<String> args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).startsWith("--") && !args.get(i + 1).startsWith("--"))
        out.putIfAbsent(args.get(i), args.get(i + 1));
    }
    return out;
  }
}
