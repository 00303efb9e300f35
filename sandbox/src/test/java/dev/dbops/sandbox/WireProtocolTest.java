package dev.dbops.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transport details below the SDK: aws-chunked framing, checksums, SigV4 routing, raw error XML.
 */
class WireProtocolTest {

  private static AwsSandbox sandbox;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    sandbox = AwsSandbox.start(SandboxConfig.defaults());
    sandbox.s3().createBucket("wire");
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void givenSignedChunksWithTrailers_whenDecoding_thenPayloadAndTrailersAreSeparated() {
    byte[] body =
        ("5;chunk-signature=abc\r\nhello\r\n"
                + "6;chunk-signature=def\r\n world\r\n"
                + "0;chunk-signature=fff\r\n"
                + "x-amz-checksum-crc32:DUoRhQ==\r\n"
                + "x-amz-trailer-signature:123\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    AwsChunkedDecoder.Decoded decoded = AwsChunkedDecoder.decode(body);

    assertEquals("hello world", new String(decoded.payload(), StandardCharsets.US_ASCII));
    assertEquals(
        Map.of("x-amz-checksum-crc32", "DUoRhQ==", "x-amz-trailer-signature", "123"),
        decoded.trailers());
  }

  @Test
  void givenTruncatedChunk_whenDecoding_thenRejected() {
    byte[] body = "a\r\nshort\r\n".getBytes(StandardCharsets.US_ASCII);

    assertThrows(IllegalArgumentException.class, () -> AwsChunkedDecoder.decode(body));
  }

  @Test
  void givenUnsignedAwsChunkedPutWithCorrectCrc32Trailer_whenSent_thenStored() throws Exception {
    HttpResponse<String> response = putChunked("good.txt", "DUoRhQ==");

    assertEquals(200, response.statusCode(), response.body());
    assertArrayEquals(
        "hello world".getBytes(StandardCharsets.US_ASCII), sandbox.s3().data("wire", "good.txt"));
    assertEquals("DUoRhQ==", response.headers().firstValue("x-amz-checksum-crc32").orElseThrow());
  }

  @Test
  void givenAwsChunkedPutWithWrongCrc32Trailer_whenSent_thenBadDigestAndNothingStored()
      throws Exception {
    HttpResponse<String> response = putChunked("bad.txt", "AAAAAA==");

    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("<Code>BadDigest</Code>"), response.body());
    assertTrue(!sandbox.s3().exists("wire", "bad.txt"));
  }

  @Test
  void givenRequestSignedForAnotherService_whenSent_thenUnknownServiceAndLogged() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(sandbox.endpoint() + "/"))
                .header(
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/kinesis/aws4_request, "
                        + "SignedHeaders=host, Signature=00")
                .POST(HttpRequest.BodyPublishers.ofString("Action=ListStreams"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("UnknownService"), response.body());
    assertEquals("kinesis", sandbox.calls().all().get(sandbox.calls().all().size() - 1).service());
  }

  @Test
  void givenMissingKey_whenGettingRaw_thenS3ErrorXmlWithCodeMessageResourceAndRequestId()
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(sandbox.endpoint() + "/wire/missing")).GET().build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(404, response.statusCode());
    String xml = response.body();
    assertTrue(xml.contains("<Error><Code>NoSuchKey</Code><Message>"), xml);
    assertTrue(xml.contains("<Key>missing</Key>"), xml);
    assertTrue(xml.contains("<Resource>/wire/missing</Resource><RequestId>SANDBOX"), xml);
    assertEquals("application/xml", response.headers().firstValue("Content-Type").orElseThrow());
  }

  private static HttpResponse<String> putChunked(String key, String crc32)
      throws IOException, InterruptedException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:" + crc32 + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    return http.send(
        HttpRequest.newBuilder(URI.create(sandbox.endpoint() + "/wire/" + key))
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/s3/aws4_request, "
                    + "SignedHeaders=host, Signature=00")
            .header("Content-Encoding", "aws-chunked")
            .header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
            .header("x-amz-decoded-content-length", "11")
            .header("x-amz-trailer", "x-amz-checksum-crc32")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
