package dev.dbops.workflows.restore;

import dev.dbops.workflows.common.ApprovalPolicy;
import dev.dbops.workflows.common.Bounds;
import dev.dbops.workflows.common.TargetLocks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Restore objects from Glacier Flexible Retrieval / Deep Archive and deliver them. JSON-friendly so
 * it can be started from the Temporal UI; every optional field has a documented default.
 *
 * @param bucket source bucket
 * @param prefix restore every object under this prefix (exclusive with {@code keys})
 * @param keys restore exactly these keys (exclusive with {@code prefix})
 * @param tier EXPEDITED, STANDARD or BULK
 * @param allowTierFallback when the tier is impossible (Deep Archive has no Expedited) or
 *     unavailable (Expedited capacity, 503), use STANDARD with a warning instead of refusing;
 *     default true
 * @param days how long S3 keeps the restored copy (default 7)
 * @param delivery what to do with restored objects (default: NONE)
 * @param approvalThresholdUsd ask for approval when the estimated cost exceeds this; null never
 * @param requireApproval always ask for approval before requesting restores
 * @param approval who may approve, M-of-N, timeout
 * @param requestedBy the person starting the run (may not approve it)
 * @param pollInterval pause between readiness checks (default fitted to tier and class)
 * @param maxWait give up waiting after this long (default fitted to tier and class)
 * @param batchSize objects handled per activity call (default 1,000: one ListObjectsV2 page, so one
 *     readiness check per 1,000 objects)
 * @param maxConcurrentBatches batches in flight at once (default 4)
 * @param concurrencyPerBatch S3 calls in flight inside one activity (default 8)
 * @param prices retrieval price table for the estimate (default AWS us-east-1)
 * @param dryRun list, validate, estimate and plan; change nothing
 */
public record GlacierRestoreRequest(
    String bucket,
    String prefix,
    List<String> keys,
    RestoreTier tier,
    Boolean allowTierFallback,
    Integer days,
    Delivery delivery,
    Double approvalThresholdUsd,
    Boolean requireApproval,
    ApprovalPolicy approval,
    String requestedBy,
    Duration pollInterval,
    Duration maxWait,
    Integer batchSize,
    Integer maxConcurrentBatches,
    Integer concurrencyPerBatch,
    PriceTable prices,
    Boolean dryRun) {

  private static final Pattern BUCKET = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");
  public static final int MAX_KEYS = 100_000;

  public boolean fallbackAllowed() {
    return allowTierFallback == null || allowTierFallback;
  }

  public int daysOrDefault() {
    return days == null ? 7 : days;
  }

  public Delivery deliveryOrDefault() {
    return delivery == null || delivery.mode() == null ? Delivery.none() : delivery;
  }

  public boolean approvalMayBeNeeded() {
    return Boolean.TRUE.equals(requireApproval) || approvalThresholdUsd != null;
  }

  public int batchSizeOrDefault() {
    return batchSize == null ? 1000 : batchSize;
  }

  public int maxConcurrentBatchesOrDefault() {
    return maxConcurrentBatches == null ? 4 : maxConcurrentBatches;
  }

  public int concurrencyPerBatchOrDefault() {
    return concurrencyPerBatch == null ? 8 : concurrencyPerBatch;
  }

  public PriceTable pricesOrDefault() {
    return prices == null ? PriceTable.defaults() : prices;
  }

  public boolean isDryRun() {
    return Boolean.TRUE.equals(dryRun);
  }

  /**
   * What one open run at a time may act on: where it delivers (a download directory, or the copies'
   * bucket and prefix), or, when it delivers nowhere, the objects it restores. Nothing for a dry
   * run.
   */
  public List<String> targets() {
    if (isDryRun() || bucket == null) return List.of();
    String source = prefix != null ? prefix : commonPrefix(keys);
    Delivery d = delivery == null ? Delivery.none() : delivery;
    if (d.mode() == DeliveryMode.DOWNLOAD && d.directory() != null)
      return List.of(TargetLocks.directory(d.directory()));
    if (d.mode() == DeliveryMode.COPY) {
      String to = (d.targetPrefix() == null ? "" : d.targetPrefix()) + source;
      return List.of(TargetLocks.s3(d.targetBucket() == null ? bucket : d.targetBucket(), to));
    }
    return List.of(TargetLocks.s3(bucket, source));
  }

  private static String commonPrefix(List<String> keys) {
    if (keys == null || keys.isEmpty()) return "";
    String p = keys.get(0) == null ? "" : keys.get(0);
    for (String k : keys) {
      int i = 0;
      while (k != null && i < p.length() && i < k.length() && p.charAt(i) == k.charAt(i)) i++;
      p = p.substring(0, k == null ? 0 : i);
    }
    return p;
  }

  /** Default business-key workflow id: {@code restore/<bucket>/<prefix or first key>}. */
  public String defaultWorkflowId() {
    String what = prefix != null ? prefix : (keys == null || keys.isEmpty() ? "" : keys.get(0));
    return "restore/" + bucket + "/" + what;
  }

  /**
   * Everything wrong with the request that can be known without calling AWS, one message per
   * problem, each naming the field. Empty means valid.
   */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (bucket == null || bucket.isBlank()) {
      out.add("bucket: required");
    } else if (!isBucketName(bucket)) {
      out.add("bucket: '" + bucket + "' is not a valid S3 bucket name");
    }
    boolean hasKeys = keys != null && !keys.isEmpty();
    if (prefix != null && hasKeys) out.add("prefix/keys: give a prefix or a key list, not both");
    if (prefix == null && !hasKeys) out.add("prefix/keys: give a prefix or a non-empty key list");
    if (hasKeys) {
      if (keys.size() > MAX_KEYS) out.add("keys: at most " + MAX_KEYS + ", got " + keys.size());
      Set<String> seen = new HashSet<>();
      for (String k : keys) {
        if (k == null || k.isEmpty()) {
          out.add("keys: empty key");
        } else if (!seen.add(k)) {
          out.add("keys: '" + k + "' listed twice");
        }
      }
    }
    if (tier == null) out.add("tier: required (EXPEDITED, STANDARD or BULK)");
    int d = daysOrDefault();
    if (d < 1 || d > 365) out.add("days: must be 1..365, was " + d);
    Delivery del = deliveryOrDefault();
    if (del.mode() == DeliveryMode.DOWNLOAD
        && (del.directory() == null || del.directory().isBlank())) {
      out.add("delivery.directory: required for DOWNLOAD");
    }
    if (del.mode() == DeliveryMode.COPY
        && del.targetBucket() != null
        && !isBucketName(del.targetBucket())) {
      out.add("delivery.targetBucket: '" + del.targetBucket() + "' is not a valid S3 bucket name");
    }
    if (del.mode() == DeliveryMode.DOWNLOAD && hasKeys) {
      // The downloader refuses such a key too, but only after its restore was paid for.
      for (String k : keys) {
        if (k != null && escapesDirectory(k)) {
          out.add("keys: '" + k + "' would be written outside delivery.directory");
        }
      }
      List<String> named =
          keys.stream().filter(k -> k != null && !k.isEmpty() && !escapesDirectory(k)).toList();
      DeliveryPaths.undeliverable(named, false)
          .forEach(
              (k, why) ->
                  out.add(
                      "keys: '"
                          + k
                          + "' cannot be a file of its own under delivery.directory: "
                          + why));
    }
    if (approvalThresholdUsd != null
        && (approvalThresholdUsd < 0 || approvalThresholdUsd.isNaN())) {
      out.add("approvalThresholdUsd: must be >= 0, was " + approvalThresholdUsd);
    }
    if (approvalMayBeNeeded()) {
      if (requestedBy == null || requestedBy.isBlank()) {
        out.add(
            "requestedBy: required when an approval may be needed (the requester may not approve)");
      }
      ApprovalPolicy p = approval == null ? new ApprovalPolicy(List.of(), null, null) : approval;
      out.addAll(p.problems("approval", requestedBy));
    }
    if (pollInterval != null && pollInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      out.add("pollInterval: must be at least 1s, was " + pollInterval);
    }
    if (maxWait != null && (maxWait.isNegative() || maxWait.isZero())) {
      out.add("maxWait: must be positive, was " + maxWait);
    }
    if (pollInterval != null && maxWait != null && maxWait.compareTo(pollInterval) < 0) {
      out.add("maxWait: shorter than pollInterval (" + maxWait + " < " + pollInterval + ")");
    }
    range(out, "batchSize", batchSizeOrDefault(), 1, 1000);
    range(out, "maxConcurrentBatches", maxConcurrentBatchesOrDefault(), 1, 64);
    range(out, "concurrencyPerBatch", concurrencyPerBatchOrDefault(), 1, 64);
    out.addAll(Bounds.problems(this, out)); // every duration, number and text within its bounds
    return out;
  }

  /**
   * S3's naming rules beyond the character set: no "..", ".-" or "-.", not an IP address, none of
   * the reserved prefixes and suffixes (a name S3 refuses would only fail later, at ListObjects).
   */
  static boolean isBucketName(String name) {
    return BUCKET.matcher(name).matches()
        && !name.contains("..")
        && !name.contains(".-")
        && !name.contains("-.")
        && !IPV4.matcher(name).matches()
        && !name.startsWith("xn--")
        && !name.startsWith("sthree-")
        && !name.endsWith("-s3alias")
        && !name.endsWith("--ol-s3");
  }

  private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

  /** A key that, taken as a relative path under the download directory, leaves it. */
  static boolean escapesDirectory(String key) {
    if (key.startsWith("/") || key.startsWith("\\")) return true;
    for (String part : key.split("[/\\\\]")) {
      if (part.equals("..")) return true;
    }
    return false;
  }

  private static void range(List<String> out, String field, int v, int lo, int hi) {
    if (v < lo || v > hi) out.add(field + ": must be " + lo + ".." + hi + ", was " + v);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.bucket = bucket;
    b.prefix = prefix;
    b.keys = keys;
    b.tier = tier;
    b.allowTierFallback = allowTierFallback;
    b.days = days;
    b.delivery = delivery;
    b.approvalThresholdUsd = approvalThresholdUsd;
    b.requireApproval = requireApproval;
    b.approval = approval;
    b.requestedBy = requestedBy;
    b.pollInterval = pollInterval;
    b.maxWait = maxWait;
    b.batchSize = batchSize;
    b.maxConcurrentBatches = maxConcurrentBatches;
    b.concurrencyPerBatch = concurrencyPerBatch;
    b.prices = prices;
    b.dryRun = dryRun;
    return b;
  }

  /** Fluent construction for the CLI and tests; unset fields keep their documented defaults. */
  public static final class Builder {
    private String bucket;
    private String prefix;
    private List<String> keys;
    private RestoreTier tier;
    private Boolean allowTierFallback;
    private Integer days;
    private Delivery delivery;
    private Double approvalThresholdUsd;
    private Boolean requireApproval;
    private ApprovalPolicy approval;
    private String requestedBy;
    private Duration pollInterval;
    private Duration maxWait;
    private Integer batchSize;
    private Integer maxConcurrentBatches;
    private Integer concurrencyPerBatch;
    private PriceTable prices;
    private Boolean dryRun;

    public static Builder of(String bucket, String prefix) {
      Builder b = new Builder();
      b.bucket = bucket;
      b.prefix = prefix;
      return b;
    }

    public Builder bucket(String v) {
      bucket = v;
      return this;
    }

    public Builder prefix(String v) {
      prefix = v;
      return this;
    }

    public Builder keys(List<String> v) {
      keys = v;
      return this;
    }

    public Builder tier(RestoreTier v) {
      tier = v;
      return this;
    }

    public Builder allowTierFallback(Boolean v) {
      allowTierFallback = v;
      return this;
    }

    public Builder days(Integer v) {
      days = v;
      return this;
    }

    public Builder delivery(Delivery v) {
      delivery = v;
      return this;
    }

    public Builder approvalThresholdUsd(Double v) {
      approvalThresholdUsd = v;
      return this;
    }

    public Builder requireApproval(Boolean v) {
      requireApproval = v;
      return this;
    }

    public Builder approval(ApprovalPolicy v) {
      approval = v;
      return this;
    }

    public Builder requestedBy(String v) {
      requestedBy = v;
      return this;
    }

    public Builder pollInterval(Duration v) {
      pollInterval = v;
      return this;
    }

    public Builder maxWait(Duration v) {
      maxWait = v;
      return this;
    }

    public Builder batchSize(Integer v) {
      batchSize = v;
      return this;
    }

    public Builder maxConcurrentBatches(Integer v) {
      maxConcurrentBatches = v;
      return this;
    }

    public Builder concurrencyPerBatch(Integer v) {
      concurrencyPerBatch = v;
      return this;
    }

    public Builder prices(PriceTable v) {
      prices = v;
      return this;
    }

    public Builder dryRun(Boolean v) {
      dryRun = v;
      return this;
    }

    public GlacierRestoreRequest build() {
      return new GlacierRestoreRequest(
          bucket,
          prefix,
          keys,
          tier,
          allowTierFallback,
          days,
          delivery,
          approvalThresholdUsd,
          requireApproval,
          approval,
          requestedBy,
          pollInterval,
          maxWait,
          batchSize,
          maxConcurrentBatches,
          concurrencyPerBatch,
          prices,
          dryRun);
    }
  }
}
