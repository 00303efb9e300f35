package dev.dbops.activities.restore;

import dev.dbops.activities.aws.AwsFailures;
import dev.dbops.workflows.common.ErrorTypes;
import dev.dbops.workflows.restore.Delivery;
import dev.dbops.workflows.restore.ObjectInfo;
import dev.dbops.workflows.restore.ObjectOutcome;
import io.temporal.failure.ApplicationFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * COPY delivery of one object: CopyObject into a STANDARD object, in place (same key) or to {@code
 * targetBucket}/{@code targetPrefix + key}. A target that is already a STANDARD copy is left alone,
 * so a retry after a partial batch does not trip S3's "copy onto itself" refusal.
 */
final class ObjectCopier {
  private static final Logger log = LoggerFactory.getLogger(ObjectCopier.class);

  /** CopyObject's limit; larger objects need UploadPartCopy, which is not implemented yet. */
  static final long MAX_SINGLE_COPY_BYTES = 5L * 1024 * 1024 * 1024;

  private final S3Client s3;

  ObjectCopier(S3Client s3) {
    this.s3 = s3;
  }

  ObjectOutcome copy(String bucket, ObjectInfo o, Delivery delivery) {
    String targetBucket = blank(delivery.targetBucket()) ? bucket : delivery.targetBucket();
    String targetKey = (blank(delivery.targetPrefix()) ? "" : delivery.targetPrefix()) + o.key();
    boolean inPlace = targetBucket.equals(bucket) && targetKey.equals(o.key());
    String source = "s3://" + bucket + "/" + o.key();
    String target = "s3://" + targetBucket + "/" + targetKey;
    if (inPlace && !o.archived()) {
      return outcome(o, ObjectOutcome.NOT_NEEDED, target + " is already " + o.storageClass());
    }

    HeadObjectResponse existing = headOrNull(targetBucket, targetKey, target);
    if (existing != null && isStandard(existing) && (inPlace || sameContent(existing, o))) {
      log.info("{} is already a STANDARD copy of {}; skipped", target, source);
      return outcome(
          o, ObjectOutcome.DELIVERED, target + checksum(existing.eTag()) + " (already copied)");
    }
    if (o.size() > MAX_SINGLE_COPY_BYTES) {
      throw ApplicationFailure.newNonRetryableFailure(
          source
              + " is "
              + o.size()
              + " bytes, over "
              + "CopyObject's 5 GiB limit; multipart copy is not supported yet, use DOWNLOAD",
          ErrorTypes.INVALID_PARAMETER);
    }
    CopyObjectResponse r =
        AwsFailures.call(
            "CopyObject",
            source + " -> " + target,
            () ->
                s3.copyObject(
                    c ->
                        c.sourceBucket(bucket)
                            .sourceKey(o.key())
                            .destinationBucket(targetBucket)
                            .destinationKey(targetKey)
                            .storageClass(StorageClass.STANDARD)
                            .metadataDirective(MetadataDirective.COPY)));
    String etag = r.copyObjectResult() == null ? null : r.copyObjectResult().eTag();
    log.info("{} copied to {} (STANDARD)", source, target);
    return outcome(o, ObjectOutcome.DELIVERED, target + checksum(etag));
  }

  private HeadObjectResponse headOrNull(String bucket, String key, String uri) {
    try {
      return s3.headObject(r -> r.bucket(bucket).key(key));
    } catch (SdkException e) {
      if (AwsFailures.statusCode(e) == 404) return null;
      throw AwsFailures.failure("HeadObject", uri, e);
    }
  }

  private static boolean isStandard(HeadObjectResponse h) {
    return S3ObjectStates.STANDARD.equals(S3ObjectStates.storageClass(h.storageClassAsString()));
  }

  /** Same bytes, as far as S3 can tell: same size and the same plain-MD5 ETag. */
  private static boolean sameContent(HeadObjectResponse h, ObjectInfo o) {
    String md5 = S3ObjectStates.plainMd5(o.etag());
    return md5 != null
        && md5.equals(S3ObjectStates.plainMd5(h.eTag()))
        && h.contentLength() != null
        && h.contentLength() == o.size();
  }

  private static String checksum(String etag) {
    String md5 = S3ObjectStates.plainMd5(etag);
    if (md5 != null) return " md5=" + md5;
    String e = S3ObjectStates.stripQuotes(etag);
    return e == null ? "" : " etag=" + e;
  }

  private static ObjectOutcome outcome(ObjectInfo o, String outcome, String detail) {
    return new ObjectOutcome(o.key(), o.storageClass(), o.size(), outcome, detail);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
