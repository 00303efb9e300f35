package dev.dbops.client;

import dev.dbops.client.codec.PayloadKeys;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything the worker and the CLI need to know about their surroundings, read from environment
 * variables and, when {@code DBOPS_CONFIG} names one, a properties file using the same names (an
 * environment variable wins over the file, the file over the default).
 *
 * <pre>
 * TEMPORAL_ADDRESS      host:port of the Temporal frontend          127.0.0.1:7233
 * TEMPORAL_NAMESPACE    Temporal namespace                          default
 * DBOPS_TASK_QUEUE      task queue the worker polls                 dbops
 * DBOPS_METRICS_PORT    Prometheus /metrics port; 0 turns it off    9464
 * DBOPS_METRICS_HOST    interface /metrics binds to                 127.0.0.1
 * AWS_REGION            AWS region                                  us-east-1
 * DBOPS_AWS_ENDPOINT    AWS endpoint override (the local sandbox); unset means real AWS
 * TEMPORAL_TLS_CERT     client certificate (PEM) for mTLS, e.g. Temporal Cloud
 * TEMPORAL_TLS_KEY      its PKCS#8 private key (PEM)
 * TEMPORAL_API_KEY      API key for Temporal Cloud (implies TLS)
 * DBOPS_NOTIFY_WEBHOOK_URL_REF  reference (env:NAME, file:/path, secretsmanager:ID) to a
 *                       Slack-compatible webhook URL; unset means notices go to the log only
 * DBOPS_TEMPORAL_UI_URL Temporal UI base URL for links in notices, e.g. http://localhost:8080
 * DBOPS_HOOKS_DIR       directory of operator hooks: executables named after a phase
 *                       (before-cutover, before-cutover.10-maintenance.sh, …), in it or in a
 *                       subdirectory named after the procedure; unset means no command hooks
 * DBOPS_HOOKS_URL_REF   reference to an HTTP endpoint every phase is POSTed to (2xx = go on)
 * DBOPS_PAYLOAD_KEY_REF reference (file:/path holding 32 raw bytes or their base64, env:NAME
 *                       holding the base64) to the AES-256 key payloads are encrypted with;
 *                       unset means payloads are not encrypted
 * DBOPS_PAYLOAD_KEY_ID  id of that key, written into every encrypted payload  default
 * DBOPS_PAYLOAD_OLD_KEYS  id=reference pairs, comma-separated, of older keys that only decrypt
 *                       (after a rotation, or with DBOPS_PAYLOAD_KEY_REF unset to stop encrypting)
 * DBOPS_ALLOWED_SIGNERS allowed-signers file (git's allowedSignersFile format: principals, options,
 *                       key) approvals must be signed against (SSHSIG, namespace dbops-approval);
 *                       unset means approvers' names are taken as given (unverified)
 * DBOPS_CONFIG          optional properties file with any of the above
 * </pre>
 */
public record DbopsConfig(
    String temporalAddress,
    String namespace,
    String taskQueue,
    int metricsPort,
    String metricsHost,
    String awsRegion,
    URI awsEndpoint,
    Path tlsCert,
    Path tlsKey,
    String apiKey,
    String notifyWebhookUrlRef,
    URI temporalUiUrl,
    Path hooksDir,
    String hooksUrlRef,
    PayloadKeys payloadKeys,
    Path allowedSigners) {

  public static final String TEMPORAL_ADDRESS = "TEMPORAL_ADDRESS";
  public static final String TEMPORAL_NAMESPACE = "TEMPORAL_NAMESPACE";
  public static final String DBOPS_TASK_QUEUE = "DBOPS_TASK_QUEUE";
  public static final String DBOPS_METRICS_PORT = "DBOPS_METRICS_PORT";
  public static final String DBOPS_METRICS_HOST = "DBOPS_METRICS_HOST";
  public static final String AWS_REGION = "AWS_REGION";
  public static final String DBOPS_AWS_ENDPOINT = "DBOPS_AWS_ENDPOINT";
  public static final String TEMPORAL_TLS_CERT = "TEMPORAL_TLS_CERT";
  public static final String TEMPORAL_TLS_KEY = "TEMPORAL_TLS_KEY";
  public static final String TEMPORAL_API_KEY = "TEMPORAL_API_KEY";
  public static final String DBOPS_NOTIFY_WEBHOOK_URL_REF = "DBOPS_NOTIFY_WEBHOOK_URL_REF";
  public static final String DBOPS_TEMPORAL_UI_URL = "DBOPS_TEMPORAL_UI_URL";
  public static final String DBOPS_HOOKS_DIR = "DBOPS_HOOKS_DIR";
  public static final String DBOPS_HOOKS_URL_REF = "DBOPS_HOOKS_URL_REF";
  public static final String DBOPS_PAYLOAD_KEY_REF = "DBOPS_PAYLOAD_KEY_REF";
  public static final String DBOPS_PAYLOAD_KEY_ID = "DBOPS_PAYLOAD_KEY_ID";
  public static final String DBOPS_PAYLOAD_OLD_KEYS = "DBOPS_PAYLOAD_OLD_KEYS";
  public static final String DBOPS_ALLOWED_SIGNERS = "DBOPS_ALLOWED_SIGNERS";
  public static final String DBOPS_CONFIG = "DBOPS_CONFIG";

  /** The reference forms a webhook URL may be given in (the URL itself is a secret). */
  public static final List<String> SECRET_REF_PREFIXES =
      List.of("env:", "file:", "secretsmanager:");

  /** Every setting with its default (null: unset), in documentation order. */
  public static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(TEMPORAL_ADDRESS, "127.0.0.1:7233");
    d.put(TEMPORAL_NAMESPACE, "default");
    d.put(DBOPS_TASK_QUEUE, "dbops");
    d.put(DBOPS_METRICS_PORT, "9464");
    d.put(DBOPS_METRICS_HOST, "127.0.0.1");
    d.put(AWS_REGION, "us-east-1");
    d.put(DBOPS_AWS_ENDPOINT, null);
    d.put(TEMPORAL_TLS_CERT, null);
    d.put(TEMPORAL_TLS_KEY, null);
    d.put(TEMPORAL_API_KEY, null);
    d.put(DBOPS_NOTIFY_WEBHOOK_URL_REF, null);
    d.put(DBOPS_TEMPORAL_UI_URL, null);
    d.put(DBOPS_HOOKS_DIR, null);
    d.put(DBOPS_HOOKS_URL_REF, null);
    d.put(DBOPS_PAYLOAD_KEY_REF, null);
    d.put(DBOPS_PAYLOAD_KEY_ID, "default");
    d.put(DBOPS_PAYLOAD_OLD_KEYS, null);
    d.put(DBOPS_ALLOWED_SIGNERS, null);
    return java.util.Collections.unmodifiableMap(d);
  }

  /** Thrown for a setting that cannot be used; the message names it. */
  public static final class InvalidConfigException extends RuntimeException {
    public InvalidConfigException(String message) {
      super(message);
    }
  }

  public DbopsConfig {
    if (temporalAddress == null || temporalAddress.isBlank()) {
      throw new InvalidConfigException(TEMPORAL_ADDRESS + ": must not be empty");
    }
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new InvalidConfigException(
          DBOPS_METRICS_PORT + ": must be 0..65535, was " + metricsPort);
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new InvalidConfigException(
          TEMPORAL_TLS_CERT
              + "/"
              + TEMPORAL_TLS_KEY
              + ": give both the certificate and its key, or neither");
    }
    if (notifyWebhookUrlRef != null
        && SECRET_REF_PREFIXES.stream().noneMatch(notifyWebhookUrlRef::startsWith)) {
      // Not echoed: a webhook URL pasted here instead of a reference would leak its token.
      throw new InvalidConfigException(
          DBOPS_NOTIFY_WEBHOOK_URL_REF
              + ": must be a reference like env:NAME, file:/path or secretsmanager:ID, not the URL "
              + "itself (the value is not shown)");
    }
    if (hooksUrlRef != null && SECRET_REF_PREFIXES.stream().noneMatch(hooksUrlRef::startsWith)) {
      throw new InvalidConfigException(
          DBOPS_HOOKS_URL_REF
              + ": must be a reference like env:NAME, file:/path or secretsmanager:ID (the value is not shown)");
    }
    if (hooksDir != null && !Files.isDirectory(hooksDir)) {
      throw new InvalidConfigException(DBOPS_HOOKS_DIR + ": " + hooksDir + " is not a directory");
    }
    if (allowedSigners != null) AllowedSignersFile.check(allowedSigners);
  }

  /** From this process's environment (and {@code DBOPS_CONFIG} if set). */
  public static DbopsConfig fromEnvironment() {
    return from(System.getenv());
  }

  /** From {@code env} (and the properties file {@code env.DBOPS_CONFIG} names, if any). */
  public static DbopsConfig from(Map<String, String> env) {
    Map<String, String> values = new HashMap<>(DEFAULTS);
    String file = env.get(DBOPS_CONFIG);
    if (file != null && !file.isBlank()) {
      Properties props = load(Path.of(file));
      for (String name : DEFAULTS.keySet()) {
        String v = props.getProperty(name);
        if (v != null && !v.isBlank()) values.put(name, v.trim());
      }
    }
    for (String name : DEFAULTS.keySet()) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) values.put(name, v.trim());
    }
    return new DbopsConfig(
        values.get(TEMPORAL_ADDRESS),
        values.get(TEMPORAL_NAMESPACE),
        values.get(DBOPS_TASK_QUEUE),
        port(values.get(DBOPS_METRICS_PORT)),
        values.get(DBOPS_METRICS_HOST),
        values.get(AWS_REGION),
        uri(DBOPS_AWS_ENDPOINT, values.get(DBOPS_AWS_ENDPOINT), "http://127.0.0.1:4566"),
        path(values.get(TEMPORAL_TLS_CERT)),
        path(values.get(TEMPORAL_TLS_KEY)),
        values.get(TEMPORAL_API_KEY),
        values.get(DBOPS_NOTIFY_WEBHOOK_URL_REF),
        uri(DBOPS_TEMPORAL_UI_URL, values.get(DBOPS_TEMPORAL_UI_URL), "http://localhost:8080"),
        path(values.get(DBOPS_HOOKS_DIR)),
        values.get(DBOPS_HOOKS_URL_REF),
        payloadKeys(values, env),
        path(values.get(DBOPS_ALLOWED_SIGNERS)));
  }

  public DbopsConfig withTemporalAddress(String address) {
    return new DbopsConfig(
        address,
        namespace,
        taskQueue,
        metricsPort,
        metricsHost,
        awsRegion,
        awsEndpoint,
        tlsCert,
        tlsKey,
        apiKey,
        notifyWebhookUrlRef,
        temporalUiUrl,
        hooksDir,
        hooksUrlRef,
        payloadKeys,
        allowedSigners);
  }

  public DbopsConfig withNamespace(String ns) {
    return new DbopsConfig(
        temporalAddress,
        ns,
        taskQueue,
        metricsPort,
        metricsHost,
        awsRegion,
        awsEndpoint,
        tlsCert,
        tlsKey,
        apiKey,
        notifyWebhookUrlRef,
        temporalUiUrl,
        hooksDir,
        hooksUrlRef,
        payloadKeys,
        allowedSigners);
  }

  public DbopsConfig withTaskQueue(String queue) {
    return new DbopsConfig(
        temporalAddress,
        namespace,
        queue,
        metricsPort,
        metricsHost,
        awsRegion,
        awsEndpoint,
        tlsCert,
        tlsKey,
        apiKey,
        notifyWebhookUrlRef,
        temporalUiUrl,
        hooksDir,
        hooksUrlRef,
        payloadKeys,
        allowedSigners);
  }

  public DbopsConfig withAllowedSigners(Path file) {
    return new DbopsConfig(
        temporalAddress,
        namespace,
        taskQueue,
        metricsPort,
        metricsHost,
        awsRegion,
        awsEndpoint,
        tlsCert,
        tlsKey,
        apiKey,
        notifyWebhookUrlRef,
        temporalUiUrl,
        hooksDir,
        hooksUrlRef,
        payloadKeys,
        file);
  }

  public DbopsConfig withMetricsPort(int port) {
    return new DbopsConfig(
        temporalAddress,
        namespace,
        taskQueue,
        port,
        metricsHost,
        awsRegion,
        awsEndpoint,
        tlsCert,
        tlsKey,
        apiKey,
        notifyWebhookUrlRef,
        temporalUiUrl,
        hooksDir,
        hooksUrlRef,
        payloadKeys,
        allowedSigners);
  }

  public DbopsConfig withAwsEndpoint(URI endpoint) {
    return new DbopsConfig(
        temporalAddress,
        namespace,
        taskQueue,
        metricsPort,
        metricsHost,
        awsRegion,
        endpoint,
        tlsCert,
        tlsKey,
        apiKey,
        notifyWebhookUrlRef,
        temporalUiUrl,
        hooksDir,
        hooksUrlRef,
        payloadKeys,
        allowedSigners);
  }

  /** Whether notices also go to a chat webhook (else the log only). */
  public boolean notifiesWebhook() {
    return notifyWebhookUrlRef != null;
  }

  /** Whether payloads are encrypted (or at least decrypted) with {@link #payloadKeys()}. */
  public boolean encryptsPayloads() {
    return payloadKeys != null;
  }

  public boolean usesTls() {
    return tlsCert != null || apiKey != null;
  }

  /** One line for logs and banners; never prints the API key. */
  public String describe() {
    return "temporal="
        + temporalAddress
        + " namespace="
        + namespace
        + " taskQueue="
        + taskQueue
        + (usesTls() ? " tls=on" : "")
        + (apiKey != null ? " apiKey=set" : "")
        + " aws="
        + (awsEndpoint == null ? "AWS " + awsRegion : "sandbox " + awsEndpoint)
        + " metrics="
        + (metricsPort == 0 ? "off" : metricsHost + ":" + metricsPort)
        + " approvers="
        + (allowedSigners == null ? "unverified" : "signed(" + allowedSigners + ")")
        + " notify="
        + (notifiesWebhook() ? "log+webhook" : "log")
        + (payloadKeys == null
            ? ""
            : payloadKeys.currentId() == null
                ? " payloads=decrypt-only" + payloadKeys.ids()
                : " payloads=encrypted(key " + payloadKeys.currentId() + ")");
  }

  /** {@link #describe()}: a record's own toString would print the API key. */
  @Override
  public String toString() {
    return "DbopsConfig[" + describe() + "]";
  }

  /** The payload keys the settings name (read now, so a bad key fails at startup), or null. */
  private static PayloadKeys payloadKeys(Map<String, String> values, Map<String, String> env) {
    try {
      return PayloadKeys.load(
          DBOPS_PAYLOAD_KEY_REF,
          values.get(DBOPS_PAYLOAD_KEY_REF),
          DBOPS_PAYLOAD_KEY_ID,
          values.get(DBOPS_PAYLOAD_KEY_ID),
          DBOPS_PAYLOAD_OLD_KEYS,
          values.get(DBOPS_PAYLOAD_OLD_KEYS),
          env);
    } catch (PayloadKeys.InvalidKeyException e) {
      throw new InvalidConfigException(e.getMessage());
    }
  }

  private static Properties load(Path file) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new InvalidConfigException(
          DBOPS_CONFIG + ": cannot read " + file + ": " + e.getMessage());
    }
    return p;
  }

  private static int port(String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(DBOPS_METRICS_PORT + ": not a port number: '" + v + "'");
    }
  }

  private static URI uri(String name, String v, String example) {
    if (v == null) return null;
    try {
      URI u = URI.create(v);
      if (u.getScheme() == null || u.getHost() == null) throw new IllegalArgumentException();
      return u;
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(name + ": not a URL like " + example + ": '" + v + "'");
    }
  }

  private static Path path(String v) {
    return v == null ? null : Path.of(v);
  }
}
