package dev.dbops.workflows.restore;

import java.util.Map;

/**
 * Retrieval prices (USD) per storage class and tier: per 1,000 requests and per GB. The default is
 * AWS us-east-1 list prices; a request may carry its own table.
 */
public record PriceTable(Map<String, Price> prices) {
  public record Price(double perThousandRequests, double perGb) {}

  public static PriceTable defaults() {
    return new PriceTable(
        Map.of(
            "GLACIER/EXPEDITED", new Price(10.00, 0.03),
            "GLACIER/STANDARD", new Price(0.05, 0.01),
            "GLACIER/BULK", new Price(0.00, 0.00),
            "DEEP_ARCHIVE/STANDARD", new Price(0.10, 0.02),
            "DEEP_ARCHIVE/BULK", new Price(0.025, 0.0025)));
  }

  public Price price(String storageClass, RestoreTier tier) {
    Price p = prices == null ? null : prices.get(storageClass + "/" + tier.name());
    return p != null
        ? p
        : defaults().prices().getOrDefault(storageClass + "/" + tier.name(), new Price(0, 0));
  }
}
