package dev.dbops.starter;

import dev.dbops.client.DbopsConfig;
import dev.dbops.client.codec.AesGcmPayloadCodec;
import dev.dbops.client.codec.PayloadKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dbops codec-server}: serves {@link CodecServer} with the payload keys of the environment
 * ({@code DBOPS_PAYLOAD_KEY_REF}, {@code DBOPS_PAYLOAD_KEY_ID}, {@code DBOPS_PAYLOAD_OLD_KEYS}, as
 * the worker reads them) until SIGTERM / Ctrl-C.
 */
@Command(
    name = "codec-server",
    description = {
      "Serve Temporal's codec protocol (POST /encode, /decode) with the payload keys of the"
          + " environment (DBOPS_PAYLOAD_KEY_REF, DBOPS_PAYLOAD_KEY_ID, DBOPS_PAYLOAD_OLD_KEYS), so the Temporal UI"
          + " and `temporal --codec-endpoint` show decrypted payloads. Every request needs"
          + " `Authorization: Bearer <token>`; stops on SIGTERM."
    })
final class CodecServerCommand extends DbopsCommand {
  /** Shortest token accepted: a guessable one would make the endpoint an open decrypter. */
  static final int MIN_TOKEN_CHARS = 16;

  /** Seconds requests in flight get to finish on SIGTERM. */
  static final int STOP_GRACE_SECONDS = 2;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8888",
      description = "port to listen on (default ${DEFAULT-VALUE}; 0 picks a free one)")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description =
          "interface to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 only inside a container)")
  String bind;

  @Option(
      names = "--cors-origin",
      paramLabel = "ORIGIN",
      description =
          "the Temporal UI's origin, matched exactly, e.g. http://localhost:8080 (no wildcard);"
              + " unset: no browser may call it (CLI use only)")
  String corsOrigin;

  @Option(
      names = "--token-ref",
      paramLabel = "REF",
      required = true,
      description =
          "where the bearer token is: env:NAME or file:/path (the token itself is never printed)")
  String tokenRef;

  @Override
  protected int run() throws IOException, InterruptedException {
    if (port < 0 || port > 65535)
      throw CliException.invalid("--port: must be 0..65535, was " + port);
    if (corsOrigin != null) {
      String why = CodecServer.invalidOrigin(corsOrigin);
      if (why != null) throw CliException.invalid("--cors-origin: " + why);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw CliException.invalid("--bind: not an address of this host: " + bind);
    }
    String token = readToken(tokenRef, System.getenv());
    PayloadKeys keys = DbopsConfig.fromEnvironment().payloadKeys();
    if (keys == null) {
      throw CliException.invalid(
          "codec-server: no payload key is configured, so there is nothing to decode: set "
              + DbopsConfig.DBOPS_PAYLOAD_KEY_REF
              + " (and "
              + DbopsConfig.DBOPS_PAYLOAD_KEY_ID
              + ") or "
              + DbopsConfig.DBOPS_PAYLOAD_OLD_KEYS
              + " as for the worker");
    }
    CodecServer server;
    try {
      server =
          new CodecServer(
              new AesGcmPayloadCodec(keys),
              token,
              corsOrigin,
              new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw CliException.failed(
          "codec-server: cannot listen on " + bind + ":" + port + ": " + e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.stop(STOP_GRACE_SECONDS);
              stopped.countDown();
            },
            "dbops-codec-server-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    InetSocketAddress at = server.address();
    out()
        .println(
            "dbops codec-server on http://"
                + at.getHostString()
                + ":"
                + at.getPort()
                + " (POST /encode, /decode; also /<namespace>/decode)");
    out()
        .println(
            "  keys: "
                + (keys.currentId() == null
                    ? "decrypt-only " + keys.ids()
                    : "encrypts with '" + keys.currentId() + "', decrypts " + keys.ids()));
    out()
        .println(
            "  CORS: " + (corsOrigin == null ? "no browser origin (CLI use only)" : corsOrigin));
    out()
        .println(
            "  token: from "
                + tokenRef.substring(0, tokenRef.indexOf(':') + 1)
                + "… (Authorization: Bearer)");
    out().flush();
    stopped.await();
    return ExitCodes.OK;
  }

  /**
   * The bearer token {@code ref} names: {@code env:NAME} or {@code file:/path} (one line; the
   * trailing newline is dropped). Messages name the reference, never the value.
   */
  static String readToken(String ref, Map<String, String> env) {
    String token;
    if (ref.startsWith("env:")) {
      token = env.get(ref.substring(4));
      if (token == null || token.isBlank()) {
        throw CliException.invalid(
            "--token-ref: environment variable " + ref.substring(4) + " is not set");
      }
    } else if (ref.startsWith("file:")) {
      Path file = Path.of(ref.substring(5));
      try {
        token = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw CliException.invalid(
            "--token-ref: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    } else {
      throw CliException.invalid(
          "--token-ref: must be a reference, env:NAME or file:/path (the value is not shown)");
    }
    token = token.strip();
    if (token.length() < MIN_TOKEN_CHARS || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw CliException.invalid(
          "--token-ref: the token must be at least "
              + MIN_TOKEN_CHARS
              + " printable characters without spaces (e.g. `openssl rand -hex 32`; the value is not shown)");
    }
    return token;
  }
}
