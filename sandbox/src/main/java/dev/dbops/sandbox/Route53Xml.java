package dev.dbops.sandbox;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Route53 REST-XML (namespace {@value #NAMESPACE}): the HostedZone, ResourceRecordSet and
 * ChangeInfo shapes with the member names of the SDK model, the error document, and the
 * ChangeResourceRecordSets request. Ids carry their {@code /hostedzone/} and {@code /change/}
 * prefixes, as Route53 sends them (the SDK strips them).
 */
final class Route53Xml {

  static final String NAMESPACE = "https://route53.amazonaws.com/doc/2013-04-01/";

  private Route53Xml() {}

  static XmlWriter document(String root) {
    return new XmlWriter().start(root, NAMESPACE);
  }

  static byte[] error(ServiceError error, String requestId) {
    return QueryXml.error(NAMESPACE, error, requestId);
  }

  static void hostedZone(XmlWriter w, Route53Sandbox.Zone z) {
    w.start("HostedZone")
        .element("Id", "/hostedzone/" + z.id)
        .element("Name", z.name)
        .element("CallerReference", z.callerReference)
        .start("Config")
        .element("Comment", z.comment)
        .element("PrivateZone", z.privateZone)
        .end()
        .element("ResourceRecordSetCount", z.records.size())
        .end();
  }

  static void vpcs(XmlWriter w, Route53Sandbox.Zone z) {
    w.start("VPCs");
    for (String[] vpc : z.vpcs) {
      w.start("VPC").element("VPCRegion", vpc[0]).element("VPCId", vpc[1]).end();
    }
    w.end();
  }

  static void recordSet(XmlWriter w, Route53Sandbox.RecordView r) {
    w.start("ResourceRecordSet")
        .element("Name", r.name())
        .element("Type", r.type())
        .element("TTL", r.ttl())
        .start("ResourceRecords");
    for (String value : r.values()) {
      w.start("ResourceRecord").element("Value", value).end();
    }
    w.end().end();
  }

  static void changeInfo(XmlWriter w, Route53Sandbox.Change c, Instant now) {
    w.start("ChangeInfo")
        .element("Id", "/change/" + c.id())
        .element("Status", c.status(now))
        .element("SubmittedAt", Timestamps.iso(c.submittedAt()))
        .element("Comment", c.comment())
        .end();
  }

  /**
   * The batch of a {@code <ChangeResourceRecordSetsRequest>}; 400 InvalidInput when it is not one.
   */
  record Batch(String comment, List<Route53Sandbox.ChangeRequest> changes) {}

  static Batch changeBatch(byte[] body) {
    Element root = parse(body).getDocumentElement();
    Element batch = child(root, "ChangeBatch");
    Element changes = batch == null ? null : child(batch, "Changes");
    if (!"ChangeResourceRecordSetsRequest".equals(root.getLocalName()) || changes == null) {
      throw Route53Errors.invalidInput(
              "Invalid XML: expected ChangeResourceRecordSetsRequest/ChangeBatch/Changes")
          .exception();
    }
    List<Route53Sandbox.ChangeRequest> requests = new ArrayList<>();
    for (Element change : children(changes, "Change")) {
      String action = text(change, "Action");
      Element set = child(change, "ResourceRecordSet");
      if (action == null || set == null || text(set, "Name") == null || text(set, "Type") == null) {
        throw Route53Errors.invalidInput(
                "Invalid XML: a Change needs Action and ResourceRecordSet Name and Type")
            .exception();
      }
      String name = text(set, "Name");
      String type = text(set, "Type");
      if (!Route53Sandbox.TYPES.contains(type)) {
        throw Route53Errors.invalidInput(
                "Invalid XML; cvc-enumeration-valid: Value '"
                    + type
                    + "' is not facet-valid with respect to enumeration of RRType.")
            .exception();
      }
      if (child(set, "AliasTarget") != null
          || child(set, "SetIdentifier") != null
          || child(set, "TrafficPolicyInstanceId") != null) {
        throw Route53Errors.invalidInput(
                "The dbops sandbox (a test double) supports only simple record sets "
                    + "(TTL and ResourceRecords), not alias, weighted or other routing policies")
            .exception();
      }
      String ttl = text(set, "TTL");
      Element records = child(set, "ResourceRecords");
      List<String> values = new ArrayList<>();
      if (records != null) {
        for (Element record : children(records, "ResourceRecord")) {
          values.add(text(record, "Value"));
        }
      }
      if (ttl == null || values.isEmpty()) {
        throw Route53Errors.invalidInput(
                "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and "
                    + "ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action="
                    + action
                    + ", Name="
                    + name
                    + ", Type="
                    + type
                    + ", SetIdentifier=null]")
            .exception();
      }
      long seconds;
      try {
        seconds = Long.parseLong(ttl);
      } catch (NumberFormatException e) {
        throw Route53Errors.invalidInput("Invalid TTL: " + ttl).exception();
      }
      if (seconds < 0 || seconds > Integer.MAX_VALUE) {
        throw Route53Errors.invalidInput("TTL must be between 0 and 2147483647: " + ttl)
            .exception();
      }
      requests.add(new Route53Sandbox.ChangeRequest(action, name, type, seconds, values));
    }
    if (requests.isEmpty()) {
      throw Route53Errors.invalidInput("Invalid XML: Changes must contain at least one Change")
          .exception();
    }
    return new Batch(text(batch, "Comment"), requests);
  }

  private static Document parse(byte[] body) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    } catch (SAXException | IOException e) {
      throw Route53Errors.invalidInput("Invalid XML: " + e.getMessage()).exception();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Element> children(Element parent, String localName) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e && localName.equals(e.getLocalName())) {
        found.add(e);
      }
    }
    return found;
  }

  private static Element child(Element parent, String localName) {
    List<Element> found = children(parent, localName);
    return found.isEmpty() ? null : found.get(0);
  }

  private static String text(Element parent, String localName) {
    Element e = child(parent, localName);
    return e == null ? null : e.getTextContent().trim();
  }
}
