package dev.dbops.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The AWS Query protocol (RDS, STS): form-encoded POST parameters in, {@code
 * <ActionResponse><ActionResult>} XML out, errors as {@code
 * <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>}. Each service has its own
 * namespace.
 */
final class QueryXml {

  private QueryXml() {}

  /**
   * {@code <ActionResponse><ActionResult>body</ActionResult><ResponseMetadata>…}; no Result when
   * body is null.
   */
  static byte[] response(
      String namespace, String action, String requestId, Consumer<XmlWriter> body) {
    XmlWriter w = new XmlWriter().start(action + "Response", namespace);
    if (body != null) {
      w.start(action + "Result");
      body.accept(w);
      w.end();
    }
    w.start("ResponseMetadata").element("RequestId", requestId).end();
    return w.toBytes();
  }

  static byte[] error(String namespace, ServiceError error, String requestId) {
    return new XmlWriter()
        .start("ErrorResponse", namespace)
        .start("Error")
        .element("Type", error.status() >= 500 ? "Receiver" : "Sender")
        .element("Code", error.code())
        .element("Message", error.message())
        .end()
        .element("RequestId", requestId)
        .toBytes();
  }

  /** Form body parameters (the SDK's POST), with query parameters as a fallback. */
  static Map<String, String> params(SandboxRequest req) {
    Map<String, String> p = new LinkedHashMap<>(req.query());
    p.putAll(SandboxRequest.parseForm(new String(req.body(), StandardCharsets.UTF_8)));
    return p;
  }
}
