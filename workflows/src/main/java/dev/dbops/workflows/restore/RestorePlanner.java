package dev.dbops.workflows.restore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure planning from the inventory: tier per storage class (with the Deep Archive rule), cost
 * estimate, approval need, batches with poll cadence fitted to the tier ({@link RestoreSteps}
 * renders the dry-run plan from it). Deterministic and side-effect free, so it runs in workflow
 * code and in plain unit tests.
 */
public final class RestorePlanner {
  private static final double GB = 1024.0 * 1024 * 1024;

  private final GlacierRestoreRequest request;
  private final List<ObjectInfo> inventory;
  private final List<ObjectInfo> toRestore = new ArrayList<>();
  private final List<ObjectInfo> readable = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, RestoreTier> tierByClass = new LinkedHashMap<>();
  private String refusal;

  public RestorePlanner(GlacierRestoreRequest request, List<ObjectInfo> inventory) {
    this.request = request;
    this.inventory = inventory;
    for (ObjectInfo o : inventory) {
      (o.archived() ? toRestore : readable).add(o);
    }
    chooseTiers();
  }

  public GlacierRestoreRequest request() {
    return request;
  }

  /** Every object listed, in listing order. */
  public List<ObjectInfo> inventory() {
    return inventory;
  }

  /** Listed objects that are readable as they are. */
  public List<ObjectInfo> readable() {
    return readable;
  }

  /** Non-null when the request cannot be carried out as asked (the run fails as invalid input). */
  public String refusal() {
    return refusal;
  }

  public List<String> warnings() {
    return warnings;
  }

  public List<ObjectInfo> toRestore() {
    return toRestore;
  }

  public RestoreTier tierFor(String storageClass) {
    return tierByClass.getOrDefault(storageClass, request.tier());
  }

  private void chooseTiers() {
    String deepClass = RestoreTier.DEEP_ARCHIVE;
    long deepArchive = toRestore.stream().filter(o -> deepClass.equals(o.storageClass())).count();
    tierByClass.put("GLACIER", request.tier());
    if (deepArchive > 0 && !request.tier().availableFor(deepClass)) {
      RestoreTier instead = request.tier().forStorageClass(deepClass);
      if (request.fallbackAllowed()) {
        tierByClass.put(deepClass, instead);
        warnings.add(
            "tier: Deep Archive has no "
                + request.tier()
                + "; "
                + deepArchive
                + " Deep Archive object(s) will use "
                + instead
                + " (up to 12 h)");
      } else {
        refusal =
            "tier: "
                + request.tier()
                + " is not available for Deep Archive, and "
                + deepArchive
                + " object(s) are "
                + deepClass
                + " (e.g. '"
                + firstKey(deepClass)
                + "'); choose STANDARD or BULK, or allow tier fallback";
      }
    } else {
      tierByClass.put(deepClass, request.tier());
    }
  }

  private String firstKey(String storageClass) {
    return toRestore.stream()
        .filter(o -> storageClass.equals(o.storageClass()))
        .map(ObjectInfo::key)
        .findFirst()
        .orElse("?");
  }

  /** Objects still archived with no restore yet are what costs money; adopted ones are free. */
  public CostEstimate cost() {
    Map<String, long[]> byClassTier = new LinkedHashMap<>();
    for (ObjectInfo o : toRestore) {
      if (o.restore() != RestoreState.NONE) continue;
      long[] n = byClassTier.computeIfAbsent(o.storageClass(), k -> new long[2]);
      n[0]++;
      n[1] += o.size();
    }
    double total = 0;
    long requests = 0;
    long bytes = 0;
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, long[]> e : byClassTier.entrySet()) {
      RestoreTier tier = tierFor(e.getKey());
      PriceTable.Price p = request.pricesOrDefault().price(e.getKey(), tier);
      double usd =
          e.getValue()[0] / 1000.0 * p.perThousandRequests() + e.getValue()[1] / GB * p.perGb();
      total += usd;
      requests += e.getValue()[0];
      bytes += e.getValue()[1];
      lines.add(
          String.format(
              "%s/%s: %d request(s) x $%.4f/1000 + %.3f GB x $%.4f/GB = $%.4f",
              e.getKey(),
              tier,
              e.getValue()[0],
              p.perThousandRequests(),
              e.getValue()[1] / GB,
              p.perGb(),
              usd));
    }
    return new CostEstimate(total, requests, bytes, lines);
  }

  public boolean approvalNeeded() {
    if (Boolean.TRUE.equals(request.requireApproval())) return true;
    return request.approvalThresholdUsd() != null
        && cost().totalUsd() > request.approvalThresholdUsd();
  }

  /** Archived objects grouped by storage class in listing order, then readable ones. */
  public List<RestoreBatchPlan> batches() {
    List<RestoreBatchPlan> out = new ArrayList<>();
    for (String storageClass : List.of("GLACIER", "DEEP_ARCHIVE")) {
      List<ObjectInfo> of =
          toRestore.stream().filter(o -> storageClass.equals(o.storageClass())).toList();
      RestoreTier tier = tierFor(storageClass);
      for (List<ObjectInfo> chunk : chunks(of)) {
        out.add(
            new RestoreBatchPlan(
                out.size() + 1,
                storageClass,
                tier,
                chunk,
                true,
                true,
                pollInterval(storageClass, tier),
                maxWait(storageClass, tier),
                request.prefix(),
                request.prefix() == null ? null : keyBefore(chunk.get(0))));
      }
    }
    boolean deliverReadable = deliversReadableObjects();
    for (List<ObjectInfo> chunk : chunks(readable)) {
      out.add(
          new RestoreBatchPlan(
              out.size() + 1,
              "READABLE",
              request.tier(),
              chunk,
              false,
              deliverReadable,
              null,
              null,
              null,
              null));
    }
    return out;
  }

  /**
   * Downloads want every object; a copy elsewhere too; a copy in place of a STANDARD object is a
   * no-op.
   */
  private boolean deliversReadableObjects() {
    Delivery d = request.deliveryOrDefault();
    return switch (d.mode()) {
      case NONE -> false;
      case DOWNLOAD -> true;
      case COPY ->
          (d.targetBucket() != null && !d.targetBucket().equals(request.bucket()))
              || (d.targetPrefix() != null && !d.targetPrefix().isEmpty());
    };
  }

  private List<List<ObjectInfo>> chunks(List<ObjectInfo> objects) {
    List<List<ObjectInfo>> out = new ArrayList<>();
    int size = request.batchSizeOrDefault();
    for (int i = 0; i < objects.size(); i += size) {
      out.add(List.copyOf(objects.subList(i, Math.min(objects.size(), i + size))));
    }
    return out;
  }

  private String keyBefore(ObjectInfo first) {
    int i = inventory.indexOf(first);
    return i <= 0 ? null : inventory.get(i - 1).key();
  }

  /**
   * Poll cadence fitted to how long S3 takes: Expedited 1–5 min, Glacier Standard 3–5 h, Glacier
   * Bulk 5–12 h, Deep Archive Standard within 12 h, Deep Archive Bulk within 48 h.
   */
  public Duration pollInterval(String storageClass, RestoreTier tier) {
    if (request.pollInterval() != null) return request.pollInterval();
    boolean deep = "DEEP_ARCHIVE".equals(storageClass);
    return switch (tier) {
      case EXPEDITED -> Duration.ofMinutes(1);
      case STANDARD -> deep ? Duration.ofHours(1) : Duration.ofMinutes(15);
      case BULK -> deep ? Duration.ofHours(2) : Duration.ofHours(1);
    };
  }

  /** Roughly three times the documented worst case before a wait counts as stuck. */
  public Duration maxWait(String storageClass, RestoreTier tier) {
    if (request.maxWait() != null) return request.maxWait();
    boolean deep = "DEEP_ARCHIVE".equals(storageClass);
    return switch (tier) {
      case EXPEDITED -> Duration.ofHours(1);
      case STANDARD -> deep ? Duration.ofHours(36) : Duration.ofHours(15);
      case BULK -> deep ? Duration.ofHours(144) : Duration.ofHours(36);
    };
  }
}
