package dev.dbops.starter;

import dev.dbops.workflows.catalog.Procedure;
import dev.dbops.workflows.catalog.Procedures;
import dev.dbops.workflows.restore.Delivery;
import dev.dbops.workflows.restore.DeliveryMode;
import dev.dbops.workflows.restore.GlacierRestoreRequest;
import dev.dbops.workflows.restore.RestoreTier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code glacier-restore} as flags; every one maps to a {@link GlacierRestoreRequest} field. */
final class GlacierRestoreFlags implements ProcedureFlags<GlacierRestoreRequest> {
  @Mixin ApprovalFlags approval;

  @RequestField("bucket")
  @Option(names = "--bucket", paramLabel = "BUCKET", description = "source bucket")
  String bucket;

  @RequestField("prefix")
  @Option(
      names = "--prefix",
      paramLabel = "PREFIX",
      description = "restore every object under this prefix (or give --key)")
  String prefix;

  @RequestField("keys")
  @Option(names = "--key", paramLabel = "KEY", description = "restore this key (repeatable)")
  List<String> keys;

  @RequestField("tier")
  @Option(
      names = "--tier",
      paramLabel = "TIER",
      converter = TierConverter.class,
      description = "EXPEDITED, STANDARD or BULK")
  RestoreTier tier;

  @RequestField("allowTierFallback")
  @Option(
      names = "--no-tier-fallback",
      description =
          "refuse instead of falling back to STANDARD when the tier is impossible"
              + " (Deep Archive has no EXPEDITED) or unavailable")
  boolean noTierFallback;

  @RequestField("days")
  @Option(
      names = "--days",
      paramLabel = "N",
      description = "keep the restored copy N days (default 7)")
  Integer days;

  @RequestField("delivery.directory")
  @Option(
      names = "--download-dir",
      paramLabel = "DIR",
      description =
          "download restored objects here, on the worker's host (made absolute"
              + " against the current directory)")
  Path downloadDir;

  @RequestField("delivery.targetBucket")
  @Option(
      names = "--copy-to-bucket",
      paramLabel = "BUCKET",
      description = "copy restored objects to STANDARD objects in this bucket")
  String copyToBucket;

  @RequestField("delivery.targetPrefix")
  @Option(
      names = "--copy-prefix",
      paramLabel = "PREFIX",
      description = "prefix for the copies (with or without --copy-to-bucket)")
  String copyPrefix;

  @RequestField("requireApproval")
  @Option(names = "--require-approval", description = "always ask for approval before restoring")
  boolean requireApproval;

  @RequestField("approvalThresholdUsd")
  @Option(
      names = "--approval-threshold-usd",
      paramLabel = "USD",
      description = "ask for approval when the estimated cost exceeds this")
  Double approvalThresholdUsd;

  @RequestField("pollInterval")
  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "pause between readiness checks (default fitted to the tier)")
  Duration pollInterval;

  @RequestField("maxWait")
  @Option(
      names = "--max-wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "give up waiting for the restore after this (default fitted to the tier)")
  Duration maxWait;

  @RequestField("batchSize")
  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "objects per activity call (default 1000)")
  Integer batchSize;

  @RequestField("requestedBy")
  @Option(
      names = "--requested-by",
      paramLabel = "NAME",
      defaultValue = "${env:USER:-${sys:user.name}}",
      description = "who asks for this run; may not approve it (default: $USER)")
  String requestedBy;

  @Override
  public Procedure<GlacierRestoreRequest> procedure() {
    return Procedures.GLACIER_RESTORE;
  }

  @Override
  public GlacierRestoreRequest toRequest() {
    boolean copy = copyToBucket != null || copyPrefix != null;
    if (downloadDir != null && copy) {
      throw CliException.invalid(
          "delivery: give --download-dir or --copy-to-bucket/--copy-prefix," + " not both");
    }
    Delivery delivery = null;
    if (downloadDir != null) {
      delivery =
          new Delivery(
              DeliveryMode.DOWNLOAD,
              downloadDir.toAbsolutePath().normalize().toString(),
              null,
              null);
    } else if (copy) {
      delivery = new Delivery(DeliveryMode.COPY, null, copyToBucket, copyPrefix);
    }
    return new GlacierRestoreRequest.Builder()
        .bucket(bucket)
        .prefix(prefix)
        .keys(keys == null ? null : List.copyOf(keys))
        .tier(tier)
        .allowTierFallback(noTierFallback ? Boolean.FALSE : null)
        .days(days)
        .delivery(delivery)
        .approvalThresholdUsd(approvalThresholdUsd)
        .requireApproval(requireApproval ? Boolean.TRUE : null)
        .approval(approval.policy())
        .requestedBy(requestedBy)
        .pollInterval(pollInterval)
        .maxWait(maxWait)
        .batchSize(batchSize)
        .build();
  }

  /** Case-insensitive tier names, with the valid ones in the message. */
  static final class TierConverter implements ITypeConverter<RestoreTier> {
    @Override
    public RestoreTier convert(String value) {
      try {
        return RestoreTier.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "'" + value + "' is not one of " + Arrays.toString(RestoreTier.values()));
      }
    }
  }
}
