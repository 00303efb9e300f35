package dev.dbops.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dbops.client.DbopsConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code dbops codec-server} as its own process, from the test class path as {@code main} runs it:
 * keys and token from the environment, serving until SIGTERM.
 */
@Tag("process")
class CodecServerProcessTest {
  static final String TOKEN = CodecServerTest.TOKEN;
  static final Pattern LISTENING = Pattern.compile("on http://[^:]+:(\\d+) ");

  static Process start(Map<String, String> env) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                DbopsCli.class.getName(),
                "codec-server",
                "--port",
                "0",
                "--token-ref",
                "env:CODEC_TOKEN",
                "--cors-origin",
                CodecServerTest.UI));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    for (String name : DbopsConfig.DEFAULTS.keySet()) pb.environment().remove(name);
    pb.environment().remove(DbopsConfig.DBOPS_CONFIG);
    pb.environment().putAll(env);
    return pb.start();
  }

  @Test
  void givenKeysAndATokenInTheEnvironment_whenSigtermArrives_thenItServedAndStopsListening()
      throws Exception {
    String key = Base64.getEncoder().encodeToString(CodecServerTest.key("k1"));
    Process p =
        start(
            Map.of(
                "CODEC_TOKEN",
                TOKEN,
                "CODEC_KEY",
                key,
                DbopsConfig.DBOPS_PAYLOAD_KEY_REF,
                "env:CODEC_KEY",
                DbopsConfig.DBOPS_PAYLOAD_KEY_ID,
                "k1"));
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder banner = new StringBuilder();
      int port = -1;
      for (String line; port < 0 && (line = out.readLine()) != null; ) {
        banner.append(line).append('\n');
        Matcher m = LISTENING.matcher(line);
        if (m.find()) port = Integer.parseInt(m.group(1));
      }
      assertTrue(port > 0, banner.toString());
      for (int i = 0; i < 3; i++) banner.append(out.readLine()).append('\n');
      assertTrue(banner.toString().contains("encrypts with 'k1'"), banner.toString());
      assertFalse(
          banner.toString().contains(TOKEN) || banner.toString().contains(key),
          "no secret printed:\n" + banner);

      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/encode"))
                      .header("Authorization", "Bearer " + TOKEN)
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              CodecServerTest.body(
                                      CodecServerTest.uiPayload(
                                          Map.of("encoding", "json/plain"), "1"))
                                  .toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(
          r.body()
              .contains(Base64.getEncoder().encodeToString("k1".getBytes(StandardCharsets.UTF_8))),
          r.body());

      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "stopped within the grace");
      int closedPort = port;
      assertThrows(
          ConnectException.class,
          () -> new Socket(InetAddress.getLoopbackAddress(), closedPort).close());
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void givenNoPayloadKey_whenStarted_thenItExits2NamingTheSettings() throws Exception {
    Process p = start(Map.of("CODEC_TOKEN", TOKEN));
    try {
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(ExitCodes.INVALID_INPUT, p.exitValue(), output);
      assertTrue(output.contains(DbopsConfig.DBOPS_PAYLOAD_KEY_REF), output);
    } finally {
      p.destroyForcibly();
    }
  }
}
