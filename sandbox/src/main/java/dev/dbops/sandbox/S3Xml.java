package dev.dbops.sandbox;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * S3 REST-XML bodies: what the sandbox writes and the one request body it reads (RestoreRequest).
 */
final class S3Xml {

  static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";

  /**
   * Parsed {@code <RestoreRequest>}: {@code Days} and {@code GlacierJobParameters/Tier} (default
   * Standard).
   */
  record RestoreRequest(int days, String tier) {}

  /** ListObjectsV2 request parameters echoed in the response. */
  record ListRequest(
      String prefix,
      String delimiter,
      int maxKeys,
      String continuationToken,
      String startAfter,
      boolean urlEncoded,
      boolean restoreStatus) {}

  private S3Xml() {}

  static byte[] error(ServiceError error, String resource, String requestId) {
    XmlWriter xml =
        new XmlWriter()
            .start("Error")
            .element("Code", error.code())
            .element("Message", error.message());
    error.details().forEach(xml::element);
    return xml.element("Resource", resource)
        .element("RequestId", requestId)
        .element("HostId", "dbops-sandbox")
        .toBytes();
  }

  static byte[] listObjectsV2(
      String bucket, ListRequest req, S3Sandbox.ListPage page, String nextToken, Instant now) {
    UnaryOperator<String> enc = req.urlEncoded() ? S3Xml::urlEncode : UnaryOperator.identity();
    XmlWriter xml =
        new XmlWriter()
            .start("ListBucketResult", NS)
            .element("Name", bucket)
            .element("Prefix", enc.apply(req.prefix() == null ? "" : req.prefix()))
            .element("Delimiter", req.delimiter() == null ? null : enc.apply(req.delimiter()))
            .element("MaxKeys", req.maxKeys())
            .element("KeyCount", page.contents().size() + page.commonPrefixes().size())
            .element("IsTruncated", page.truncated())
            .element("ContinuationToken", req.continuationToken())
            .element("NextContinuationToken", nextToken)
            .element("StartAfter", req.startAfter() == null ? null : enc.apply(req.startAfter()))
            .element("EncodingType", req.urlEncoded() ? "url" : null);
    for (StoredObject o : page.contents()) {
      xml.start("Contents")
          .element("Key", enc.apply(o.key()))
          .element("LastModified", Timestamps.iso(o.lastModified()))
          .element("ETag", o.etag())
          .element("Size", o.size())
          .element("StorageClass", o.storageClass());
      StoredObject.Restore restore = o.activeRestore(now);
      if (req.restoreStatus() && restore != null) {
        boolean ongoing = o.restoreState(now) == RestoreState.IN_PROGRESS;
        xml.start("RestoreStatus")
            .element("IsRestoreInProgress", ongoing)
            .element("RestoreExpiryDate", ongoing ? null : Timestamps.iso(restore.expiresAt()))
            .end();
      }
      xml.end();
    }
    for (String prefix : page.commonPrefixes()) {
      xml.start("CommonPrefixes").element("Prefix", enc.apply(prefix)).end();
    }
    return xml.toBytes();
  }

  static byte[] copyObjectResult(StoredObject o) {
    return new XmlWriter()
        .start("CopyObjectResult", NS)
        .element("LastModified", Timestamps.iso(o.lastModified()))
        .element("ETag", o.etag())
        .toBytes();
  }

  static byte[] listBuckets(List<String> buckets, Instant created) {
    XmlWriter xml =
        new XmlWriter()
            .start("ListAllMyBucketsResult", NS)
            .start("Owner")
            .element("ID", "sandbox")
            .element("DisplayName", "dbops-sandbox")
            .end()
            .start("Buckets");
    for (String b : buckets) {
      xml.start("Bucket").element("Name", b).element("CreationDate", Timestamps.iso(created)).end();
    }
    return xml.toBytes();
  }

  /** The {@code x-amz-restore} header value, or null when the object has no live restore. */
  static String restoreHeader(StoredObject o, Instant now) {
    StoredObject.Restore restore = o.activeRestore(now);
    if (restore == null) {
      return null;
    }
    if (o.restoreState(now) == RestoreState.IN_PROGRESS) {
      return "ongoing-request=\"true\"";
    }
    return "ongoing-request=\"false\", expiry-date=\""
        + Timestamps.httpDate(restore.expiresAt())
        + "\"";
  }

  static RestoreRequest parseRestoreRequest(byte[] body) {
    Element root = parse(body).getDocumentElement();
    if (!"RestoreRequest".equals(root.getLocalName())) {
      throw S3Errors.malformedXml().exception();
    }
    String days = childText(root, "Days");
    String tier = null;
    Element params = child(root, "GlacierJobParameters");
    if (params != null) {
      tier = childText(params, "Tier");
    }
    if (tier == null) {
      tier = childText(root, "Tier"); // the top-level Tier of RestoreRequest, same meaning here
    }
    tier = tier == null ? "Standard" : tier;
    if (days == null || !S3Sandbox.TIERS.contains(tier)) {
      throw S3Errors.malformedXml().exception();
    }
    int n;
    try {
      n = Integer.parseInt(days.trim());
    } catch (NumberFormatException e) {
      throw S3Errors.malformedXml().exception();
    }
    if (n < 1) {
      throw S3Errors.invalidArgument("Days must be a positive integer", "Days", days).exception();
    }
    return new RestoreRequest(n, tier);
  }

  private static Document parse(byte[] body) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    } catch (SAXException | IOException e) {
      throw S3Errors.malformedXml().exception();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Element child(Element parent, String localName) {
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e && localName.equals(e.getLocalName())) {
        return e;
      }
    }
    return null;
  }

  private static String childText(Element parent, String localName) {
    Element e = child(parent, localName);
    return e == null ? null : e.getTextContent().trim();
  }

  private static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
