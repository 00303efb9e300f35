package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.StorageClass;

/** Object operations through the real SDK S3Client over HTTP on loopback. */
class S3ObjectsTest {

  private static AwsSandbox sandbox;
  private static S3Client s3;

  @BeforeAll
  static void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    s3 = SandboxClients.s3(sandbox);
  }

  @AfterAll
  static void stop() {
    s3.close();
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.calls().clear();
    sandbox.faults().clear();
  }

  @Test
  void
      givenDefaultSdkClient_whenPuttingMultiChunkObject_thenAwsChunkedBodyIsDecodedAndStoredIntact()
          throws Exception {
    s3.createBucket(b -> b.bucket("chunked"));
    byte[] data = new byte[300_000]; // several aws-chunked chunks at the SDK's default chunk size
    new Random(7).nextBytes(data);

    PutObjectResponse put =
        s3.putObject(
            b ->
                b.bucket("chunked")
                    .key("dir/blob.bin")
                    .contentType("application/x-test")
                    .metadata(Map.of("origin", "test")),
            RequestBody.fromBytes(data));

    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    assertEquals("\"" + md5 + "\"", put.eTag());
    assertArrayEquals(data, sandbox.s3().data("chunked", "dir/blob.bin"));
    ResponseBytes<GetObjectResponse> got =
        s3.getObjectAsBytes(b -> b.bucket("chunked").key("dir/blob.bin"));
    assertArrayEquals(data, got.asByteArray());
    assertEquals("application/x-test", got.response().contentType());
    assertEquals(Map.of("origin", "test"), got.response().metadata());
  }

  @Test
  void givenObjectsInSeveralStorageClasses_whenListingAndHeading_thenEachReportsItsClass() {
    s3.createBucket(b -> b.bucket("classes"));
    put("classes", "a-standard", "STANDARD");
    put("classes", "b-glacier", "GLACIER");
    put("classes", "c-deep", "DEEP_ARCHIVE");
    put("classes", "d-instant", "GLACIER_IR");

    List<S3Object> listed = s3.listObjectsV2(b -> b.bucket("classes")).contents();

    assertEquals(
        List.of("a-standard", "b-glacier", "c-deep", "d-instant"),
        listed.stream().map(S3Object::key).toList());
    assertEquals(
        List.of("STANDARD", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR"),
        listed.stream().map(S3Object::storageClassAsString).toList());
    HeadObjectResponse standard = s3.headObject(b -> b.bucket("classes").key("a-standard"));
    HeadObjectResponse glacier = s3.headObject(b -> b.bucket("classes").key("b-glacier"));
    assertNull(standard.storageClass(), "S3 omits x-amz-storage-class for STANDARD");
    assertEquals(StorageClass.GLACIER, glacier.storageClass());
    assertEquals(9L, glacier.contentLength());
    assertNull(glacier.restore());
    assertEquals(
        "GLACIER_IR",
        s3.getObjectAsBytes(b -> b.bucket("classes").key("d-instant"))
            .response()
            .storageClassAsString());
  }

  @Test
  void givenManyKeys_whenListingInPages_thenContinuationTokensWalkAllKeysOnce() {
    s3.createBucket(b -> b.bucket("paged"));
    for (int i = 0; i < 7; i++) {
      sandbox.s3().putObject("paged", "logs/" + i, new byte[] {(byte) i}, "STANDARD");
    }
    sandbox.s3().putObject("paged", "other/x", new byte[1], "STANDARD");

    ListObjectsV2Response first =
        s3.listObjectsV2(b -> b.bucket("paged").prefix("logs/").maxKeys(3));
    ListObjectsV2Response second =
        s3.listObjectsV2(
            b ->
                b.bucket("paged")
                    .prefix("logs/")
                    .maxKeys(3)
                    .continuationToken(first.nextContinuationToken()));
    ListObjectsV2Response third =
        s3.listObjectsV2(
            b ->
                b.bucket("paged")
                    .prefix("logs/")
                    .maxKeys(3)
                    .continuationToken(second.nextContinuationToken()));

    assertEquals(List.of(3, 3, 1), List.of(first.keyCount(), second.keyCount(), third.keyCount()));
    assertTrue(first.isTruncated());
    assertFalse(third.isTruncated());
    assertNull(third.nextContinuationToken());
    List<String> all =
        s3
            .listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket("paged").maxKeys(2).build())
            .contents()
            .stream()
            .map(S3Object::key)
            .toList();
    assertEquals(8, all.size());
    assertEquals(
        List.of("logs/4", "logs/5", "logs/6"),
        s3
            .listObjectsV2(b -> b.bucket("paged").prefix("logs/").startAfter("logs/3"))
            .contents()
            .stream()
            .map(S3Object::key)
            .toList());
    ListObjectsV2Response folders = s3.listObjectsV2(b -> b.bucket("paged").delimiter("/"));
    assertEquals(
        List.of("logs/", "other/"),
        folders.commonPrefixes().stream().map(p -> p.prefix()).toList());
  }

  @Test
  void givenObject_whenGettingRanges_thenPartialContentWithContentRange() {
    sandbox
        .s3()
        .putObject("ranges", "r.txt", "0123456789".getBytes(StandardCharsets.UTF_8), "STANDARD");

    ResponseBytes<GetObjectResponse> middle =
        s3.getObjectAsBytes(b -> b.bucket("ranges").key("r.txt").range("bytes=2-5"));
    ResponseBytes<GetObjectResponse> tail =
        s3.getObjectAsBytes(b -> b.bucket("ranges").key("r.txt").range("bytes=7-"));
    ResponseBytes<GetObjectResponse> suffix =
        s3.getObjectAsBytes(b -> b.bucket("ranges").key("r.txt").range("bytes=-3"));

    assertEquals("2345", middle.asUtf8String());
    assertEquals("bytes 2-5/10", middle.response().contentRange());
    assertEquals(4L, middle.response().contentLength());
    assertEquals("789", tail.asUtf8String());
    assertEquals("bytes 7-9/10", tail.response().contentRange());
    assertEquals("789", suffix.asUtf8String());
    S3Exception beyond =
        assertThrows(
            S3Exception.class,
            () -> s3.getObjectAsBytes(b -> b.bucket("ranges").key("r.txt").range("bytes=10-")));
    assertEquals(416, beyond.statusCode());
    assertEquals("InvalidRange", beyond.awsErrorDetails().errorCode());
  }

  @Test
  void givenGlacierObjectRestored_whenCopyingInPlaceToStandard_thenItIsReadableWithoutRestore() {
    SandboxClock clock = sandbox.clock();
    sandbox
        .s3()
        .putObject("copies", "cold.bin", "cold data".getBytes(StandardCharsets.UTF_8), "GLACIER");
    s3.restoreObject(
        b ->
            b.bucket("copies")
                .key("cold.bin")
                .restoreRequest(r -> r.days(1).glacierJobParameters(g -> g.tier("Expedited"))));
    clock.advance(java.time.Duration.ofSeconds(2));

    CopyObjectResponse copy =
        s3.copyObject(
            b ->
                b.sourceBucket("copies")
                    .sourceKey("cold.bin")
                    .destinationBucket("copies")
                    .destinationKey("cold.bin")
                    .storageClass(StorageClass.STANDARD));
    s3.copyObject(
        b ->
            b.sourceBucket("copies")
                .sourceKey("cold.bin")
                .destinationBucket("copies")
                .destinationKey("warm copy/1.bin")
                .metadataDirective(MetadataDirective.COPY));

    assertEquals(
        S3Sandbox.etag("cold data".getBytes(StandardCharsets.UTF_8)),
        copy.copyObjectResult().eTag());
    assertEquals("STANDARD", sandbox.s3().storageClass("copies", "cold.bin"));
    assertEquals("NOT_ARCHIVED", sandbox.s3().restoreState("copies", "cold.bin"));
    assertEquals(
        "cold data",
        s3.getObjectAsBytes(b -> b.bucket("copies").key("warm copy/1.bin")).asUtf8String());
    clock.advance(java.time.Duration.ofDays(3));
    assertEquals(
        "cold data", s3.getObjectAsBytes(b -> b.bucket("copies").key("cold.bin")).asUtf8String());
  }

  @Test
  void givenArchivedObjectNotRestored_whenGettingOrCopying_thenInvalidObjectState() {
    sandbox.s3().putObject("archive", "deep.bin", new byte[] {1, 2, 3}, "DEEP_ARCHIVE");

    S3Exception get =
        assertThrows(
            S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket("archive").key("deep.bin")));
    S3Exception copy =
        assertThrows(
            S3Exception.class,
            () ->
                s3.copyObject(
                    b ->
                        b.sourceBucket("archive")
                            .sourceKey("deep.bin")
                            .destinationBucket("archive")
                            .destinationKey("deep.bin")
                            .storageClass(StorageClass.STANDARD)));

    assertEquals(403, get.statusCode());
    assertEquals("InvalidObjectState", get.awsErrorDetails().errorCode());
    assertEquals("InvalidObjectState", copy.awsErrorDetails().errorCode());
    assertEquals("DEEP_ARCHIVE", sandbox.s3().storageClass("archive", "deep.bin"));
  }

  @Test
  void givenMissingBucketKeyOrDeniedBucket_whenCalling_thenTheSdkRaisesTheMatchingS3Errors() {
    sandbox.s3().createBucket("present");
    sandbox.s3().putObject("secret", "k", new byte[1], "STANDARD");
    sandbox.s3().denyAccess("secret");

    NoSuchBucketException noBucket =
        assertThrows(
            NoSuchBucketException.class, () -> s3.listObjectsV2(b -> b.bucket("absent-bucket")));
    NoSuchKeyException noKey =
        assertThrows(
            NoSuchKeyException.class,
            () -> s3.getObjectAsBytes(b -> b.bucket("present").key("nope")));
    assertThrows(
        NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("present").key("nope")));
    S3Exception denied =
        assertThrows(
            S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket("secret").key("k")));
    S3Exception deniedHead =
        assertThrows(S3Exception.class, () -> s3.headObject(b -> b.bucket("secret").key("k")));

    assertEquals("NoSuchBucket", noBucket.awsErrorDetails().errorCode());
    assertEquals(404, noBucket.statusCode());
    assertEquals("NoSuchKey", noKey.awsErrorDetails().errorCode());
    assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
    assertEquals(403, denied.statusCode());
    assertEquals(403, deniedHead.statusCode());
    assertTrue(noKey.requestId().startsWith("SANDBOX"), "request ids name the test double");
  }

  @Test
  void
      givenBucket_whenCreatedTwiceInUsEast1AndHeaded_thenSecondCreateSucceedsAndMissingBucketIs404() {
    s3.createBucket(b -> b.bucket("twice"));
    s3.createBucket(b -> b.bucket("twice")); // us-east-1 answers 200 to re-creating your own bucket

    s3.headBucket(b -> b.bucket("twice"));
    assertThrows(NoSuchBucketException.class, () -> s3.headBucket(b -> b.bucket("never-created")));
  }

  @Test
  void givenCalls_whenCountingInCallLog_thenEachOperationIsRecordedWithBucketAndKey() {
    s3.createBucket(b -> b.bucket("counted"));
    s3.putObject(b -> b.bucket("counted").key("a/b c+d.txt"), RequestBody.fromString("x"));
    s3.headObject(b -> b.bucket("counted").key("a/b c+d.txt"));
    s3.headObject(b -> b.bucket("counted").key("a/b c+d.txt"));
    assertThrows(
        NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("counted").key("missing")));

    assertEquals(1, sandbox.calls().count("CreateBucket"));
    assertEquals(1, sandbox.calls().count("PutObject", "counted", "a/b c+d.txt"));
    assertEquals(2, sandbox.calls().count("HeadObject", "counted", "a/b c+d.txt"));
    assertEquals(3, sandbox.calls().count("HeadObject"));
    CallLog.Call last = sandbox.calls().all().get(sandbox.calls().all().size() - 1);
    assertEquals(
        new CallLog.Call(last.seq(), "s3", "HeadObject", "counted", "missing", 404, null), last);
    assertTrue(sandbox.s3().exists("counted", "a/b c+d.txt"));
  }

  private void put(String bucket, String key, String storageClass) {
    s3.putObject(
        b -> b.bucket(bucket).key(key).storageClass(storageClass),
        RequestBody.fromString("some data"));
  }
}
