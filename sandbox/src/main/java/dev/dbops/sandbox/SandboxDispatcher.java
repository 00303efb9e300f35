package dev.dbops.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of every HTTP request: admin calls go to {@link AdminHandler}; AWS calls are routed
 * by the SigV4 scope's service name (s3 when unsigned), get their injected fault, are served by the
 * service's handler and are recorded in the {@link CallLog} before the response is written.
 */
final class SandboxDispatcher implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(SandboxDispatcher.class);
  private static final String DEFAULT_SERVICE = "s3";

  private final Map<String, ServiceHandler> handlers;
  private final AdminHandler admin;
  private final Faults faults;
  private final CallLog calls;
  private final SandboxAccounts accounts;

  SandboxDispatcher(
      Map<String, ServiceHandler> handlers, AdminHandler admin, Faults faults, CallLog calls) {
    this(handlers, admin, faults, calls, null);
  }

  /** With {@code accounts}, every logged call also records the account it acted as. */
  SandboxDispatcher(
      Map<String, ServiceHandler> handlers,
      AdminHandler admin,
      Faults faults,
      CallLog calls,
      SandboxAccounts accounts) {
    this.handlers = Map.copyOf(handlers);
    this.admin = admin;
    this.faults = faults;
    this.calls = calls;
    this.accounts = accounts;
  }

  @Override
  public void handle(HttpExchange exchange) {
    try (exchange) {
      SandboxRequest req;
      try {
        req = SandboxRequest.read(exchange);
      } catch (IllegalArgumentException e) {
        log.warn(
            "[sandbox, test double] unreadable request {} {}: {}",
            exchange.getRequestMethod(),
            exchange.getRequestURI(),
            e.getMessage());
        write(exchange, false, SandboxResponse.of(400));
        return;
      }
      if (AdminHandler.matches(req.path())) {
        write(exchange, req.isHead(), admin.handle(req));
        return;
      }
      dispatch(exchange, req);
    } catch (IOException e) {
      log.debug("[sandbox, test double] connection ended early: {}", e.toString());
    } catch (RuntimeException e) {
      log.error("[sandbox, test double] request failed unexpectedly", e);
    }
  }

  private void dispatch(HttpExchange exchange, SandboxRequest req) throws IOException {
    String service = req.scope().service() == null ? DEFAULT_SERVICE : req.scope().service();
    ServiceHandler handler = handlers.get(service);
    if (handler == null) {
      calls.record(service, "Unknown", null, null, 400, null, account(req));
      write(
          exchange,
          req.isHead(),
          SandboxResponse.xml(
              400,
              new XmlWriter()
                  .start("ErrorResponse")
                  .start("Error")
                  .element("Code", "UnknownService")
                  .element(
                      "Message",
                      "The sandbox (a test double) does not speak service '" + service + "'")
                  .toBytes()));
      return;
    }
    RequestTarget target = handler.target(req);
    Optional<Faults.Kind> fault = faults.next(target.operation());
    if (fault.isPresent() && fault.get() == Faults.Kind.DROP_CONNECTION) {
      calls.record(
          service,
          target.operation(),
          target.bucket(),
          target.key(),
          0,
          fault.get().name(),
          account(req));
      log.info(
          "[sandbox, test double] {} {}: dropping the connection (injected)",
          service,
          target.operation());
      return; // closing the exchange before any response header closes the socket
    }
    if (fault.isPresent() && fault.get() == Faults.Kind.LATENCY) {
      sleep(faults.latency());
    }
    Optional<ServiceError> injected = fault.flatMap(k -> handler.faultError(k, req, target));
    String faultName =
        fault
            .filter(k -> k == Faults.Kind.LATENCY || injected.isPresent())
            .map(Enum::name)
            .orElse(null);
    SandboxResponse response =
        injected
            .map(e -> handler.error(req, target, e))
            .orElseGet(() -> serve(handler, req, target));
    calls.record(
        service,
        target.operation(),
        target.bucket(),
        target.key(),
        response.status(),
        faultName,
        account(req));
    log.debug(
        "[sandbox, test double] {} {} {} -> {}{}",
        service,
        target.operation(),
        req.path(),
        response.status(),
        faultName == null ? "" : " (injected " + faultName + ")");
    write(exchange, req.isHead(), response);
  }

  /** The account the request acts as; null without accounts or when its key is refused. */
  private String account(SandboxRequest req) {
    if (accounts == null) {
      return null;
    }
    try {
      return accounts.caller(req.scope().accessKeyId()).account();
    } catch (ServiceException e) {
      return null;
    }
  }

  private static SandboxResponse serve(
      ServiceHandler handler, SandboxRequest req, RequestTarget target) {
    try {
      return handler.handle(req, target);
    } catch (ServiceException e) {
      return handler.error(req, target, e.error());
    } catch (RuntimeException e) {
      log.error("[sandbox, test double] {} {} failed", handler.service(), target.operation(), e);
      return handler.error(
          req,
          target,
          new ServiceError(
              500,
              "InternalError",
              "sandbox bug: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  private static void write(HttpExchange exchange, boolean head, SandboxResponse response)
      throws IOException {
    response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.getResponseHeaders().putIfAbsent("Server", java.util.List.of(AwsSandbox.SERVER_NAME));
    byte[] body = response.body();
    if (head || response.status() == 204 || response.status() == 304) {
      exchange.sendResponseHeaders(response.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void sleep(java.time.Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
