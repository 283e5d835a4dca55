package io.jobsched.it;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.jobsched.it.TestNode.await;

/**
 * Every exchange the integration tests make through {@link TestNode} and {@link RawHttp} is checked against the
 * OpenAPI document: the response against what the operation documents for its status (any status, errors
 * included), and a request the server accepted (2xx) against the operation's parameters and body. A request the
 * document does not know must have been answered 404 or 405. So the document cannot drift from what the server does.
 */
final class ContractCheck {
  static final Path DOCUMENT = Path.of("src/main/resources/openapi/openapi.json");
  private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("jobsched.contract.check", "true"));
  private static Vertx vertx;
  private static OpenAPIContract contract;
  private static ResponseValidator responses;

  private ContractCheck() {
  }

  static synchronized OpenAPIContract contract() throws Exception {
    if (contract == null) {
      vertx = Vertx.vertx();
      // vertx-openapi does not know text/event-stream (the log follow); checked as the text it is
      String document = Files.readString(DOCUMENT).replace("\"text/event-stream\"", "\"text/plain\"");
      contract = await(OpenAPIContract.from(vertx, new JsonObject(document)), 30);
      responses = ResponseValidator.create(vertx, contract);
    }
    return contract;
  }

  static void check(String method, String requestBody, HttpResponse<String> response) throws Exception {
    if (!ENABLED) {
      return;
    }
    URI uri = response.request().uri();
    int status = response.statusCode();
    Operation op = contract().findOperation(uri.getPath(), HttpMethod.valueOf(method));
    String exchange = method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
        + " -> " + status;
    if (op == null) {
      if (status != 404 && status != 405 && uri.getPath().startsWith("/api/")) {
        throw new AssertionError("not in the OpenAPI document, yet answered: " + exchange);
      }
      return;
    }
    if (op.getResponse(status) == null && op.getDefaultResponse() == null) {
      throw new AssertionError("status not documented for " + op.getOperationId() + ": " + exchange + "\n" + response.body());
    }
    String contentType = response.headers().firstValue("Content-Type").orElse(null);
    String body = response.body();
    if (contentType != null && !mediaType(contentType).endsWith("json")) {
      // vertx-openapi 5.0 cannot validate a text body (it hands the schema a Buffer): its media type is checked
      io.vertx.openapi.contract.Response documented = op.getResponse(status) != null ? op.getResponse(status) : op.getDefaultResponse();
      String type = mediaType(contentType).replace("text/event-stream", "text/plain");
      if (!documented.getContent().containsKey(type)) {
        throw new AssertionError("media type " + type + " not documented for " + op.getOperationId() + ": " + exchange);
      }
      return;
    }
    ValidatableResponse validatable = body == null || body.isEmpty() || contentType == null
        ? ValidatableResponse.create(status)
        : ValidatableResponse.create(status, Map.of(), Buffer.buffer(body), mediaType(contentType));
    try {
      await(responses.validate(validatable, op.getOperationId()), 10);
    } catch (Exception e) {
      throw new AssertionError("response contradicts the OpenAPI document (" + op.getOperationId() + "): " + exchange
          + "\n" + causeMessage(e) + "\n" + abbreviate(body), e);
    }
    if (status >= 200 && status < 300) {
      checkRequest(op, uri, requestBody, exchange);
    }
  }

  private static void checkRequest(Operation op, URI uri, String requestBody, String exchange) throws Exception {
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
        boolean documented = op.getParameters().stream()
            .anyMatch(p -> p.getIn() == Location.QUERY && p.getName().equals(name));
        if (!documented) {
          throw new AssertionError("query parameter " + name + " accepted but not documented: " + exchange);
        }
      }
    }
    if (requestBody != null && !requestBody.isBlank()) {
      if (op.getRequestBody() == null) {
        throw new AssertionError("a body was accepted but " + op.getOperationId() + " documents none: " + exchange);
      }
      MediaType json = op.getRequestBody().getContent().get("application/json");
      try {
        contract().getSchemaRepository().validator(json.getSchema()).validate(parse(requestBody)).checkValidity();
      } catch (Exception e) {
        throw new AssertionError("accepted request body contradicts the OpenAPI document (" + op.getOperationId() + "): "
            + exchange + "\n" + causeMessage(e) + "\n" + abbreviate(requestBody), e);
      }
    }
  }

  private static Object parse(String json) {
    String t = json.trim();
    return t.startsWith("{") ? new JsonObject(t) : t.startsWith("[") ? new io.vertx.core.json.JsonArray(t) : io.vertx.core.json.Json.decodeValue(t);
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
  }

  private static String causeMessage(Throwable e) {
    Throwable c = e;
    StringBuilder out = new StringBuilder();
    while (c != null) {
      out.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append('\n');
      c = c.getCause();
    }
    return out.toString();
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
  }
}
