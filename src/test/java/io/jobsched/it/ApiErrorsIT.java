package io.jobsched.it;

import io.jobsched.api.EventBusApiVerticle;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Errors a client can act on: junk cursors and parameters are 400s naming the field; 405 with Allow; 404s. */
class ApiErrorsIT {
  private static final String FAR = "{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"}";
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("apierrors", conf -> conf.getJsonObject("cluster").put("enabled", false));

  private static String b64(String raw) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void jobs() throws Exception {
    for (String id : List.of("err-a", "err-b", "err-c")) {
      assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"" + id + "\",\"schedule\":" + FAR
          + ",\"task\":{\"type\":\"noop\"}}").status()).isEqualTo(201);
    }
  }

  private static void assertBadRequest(String pathAndQuery, String field) throws Exception {
    RawHttp.Answer a = RawHttp.get(NODE.get(), pathAndQuery);
    assertThat(a.status()).as(pathAndQuery + " -> " + a.body()).isEqualTo(400);
    assertThat(a.json().getString("error")).isEqualTo("invalid_request");
    assertThat(a.json().getJsonArray("details").getJsonObject(0).getString("field")).as(pathAndQuery).isEqualTo(field);
  }

  @Test
  void a_junk_job_list_cursor_is_a_400_naming_cursor() throws Exception {
    JsonObject first = RawHttp.get(NODE.get(), "/api/v1/jobs?limit=1").json();
    String good = first.getString("next_cursor");
    assertThat(good).isNotNull().doesNotContain("err-a"); // opaque, not the raw id
    assertThat(RawHttp.get(NODE.get(), "/api/v1/jobs?limit=1&cursor=" + good).json().getJsonArray("items")
        .getJsonObject(0).getString("id")).isEqualTo("err-b");
    assertThat(RawHttp.get(NODE.get(), "/api/v1/jobs?limit=1&cursor=").status()).as("empty: the first page").isEqualTo(200);

    String runCursor = b64("2026-01-01T00:00:00Z|1|" + UUID.randomUUID());
    for (String junk : List.of("%00", "err-a", "not%20base64!", b64("job|\u0000"), b64("job|has space"),
        b64("job|" + "x".repeat(129)), b64("jobs|err-a"), runCursor, good + "A", "%C3%28")) {
      assertBadRequest("/api/v1/jobs?cursor=" + junk, "cursor");
    }
  }

  @Test
  void a_junk_run_history_cursor_is_a_400_naming_cursor() throws Exception {
    String id = UUID.randomUUID().toString();
    // +1000000 is a valid Instant but past what Postgres stores (it was a 500); +200000 is storable but not RFC 3339
    for (String junk : List.of("%00", "junk", b64("+1000000-01-01T00:00:00Z|1|" + id), b64("+200000-01-01T00:00:00Z|1|" + id),
        b64("-5000-01-01T00:00:00Z|1|" + id),
        b64("2026-01-01T00:00:00Z|0|" + id), b64("2026-01-01T00:00:00Z|1|not-a-uuid"),
        b64("2026-01-01T00:00:00Z|1|" + id + "|more"), b64("2026-01-01T00:00:00Z|1|" + id.toUpperCase()),
        b64("2026-01-01T00:00:00Z\u0000|1|" + id), b64("job|err-a"),
        Base64.getUrlEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00}))) {
      assertBadRequest("/api/v1/jobs/err-a/runs?cursor=" + junk, "cursor");
    }
    assertThat(RawHttp.get(NODE.get(), "/api/v1/jobs/err-a/runs?cursor=" + b64("2026-01-01T00:00:00Z|1|" + id))
        .status()).as("well-formed").isEqualTo(200);
    assertThat(RawHttp.get(NODE.get(), "/api/v1/jobs/err-a/runs?cursor=").status()).isEqualTo(200);
  }

  @Test
  void other_junk_parameters_are_400s_naming_them_and_junk_ids_are_404s() throws Exception {
    assertBadRequest("/api/v1/jobs/err-a/runs?since=%2B1000000-01-01T00:00:00Z", "since");
    assertBadRequest("/api/v1/jobs/err-a/runs?since=%2B200000-01-01T00:00:00Z", "since");
    assertBadRequest("/api/v1/jobs/err-a/runs?until=0000-01-01T00:00:00Z", "until");
    assertBadRequest("/api/v1/jobs/err-a/runs?status=DONE", "status");
    assertBadRequest("/api/v1/jobs?namespace=%00", "namespace");
    assertBadRequest("/api/v1/jobs?label=te%00am:x", "label");
    assertBadRequest("/api/v1/jobs?label=team:%00", "label");
    for (String path : List.of("/api/v1/jobs/%00", "/api/v1/jobs/%00/runs", "/api/v1/jobs/a%20b")) {
      RawHttp.Answer a = RawHttp.get(NODE.get(), path);
      assertThat(a.status()).as(path).isEqualTo(404);
      assertThat(a.json().getString("error")).isEqualTo("not_found");
    }
    RawHttp.Answer put = RawHttp.send(NODE.get(), "PUT", "/api/v1/jobs/a%20b",
        "{\"schedule\":" + FAR + ",\"task\":{\"type\":\"noop\"}}");
    assertThat(put.status()).isEqualTo(400);
    assertThat(put.json().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("id");
  }

  @Test
  void the_event_bus_refuses_junk_cursors_limits_and_ids_with_400() {
    assertThat(busFailure("list", new JsonObject().put("cursor", "\u0000")).failureCode()).isEqualTo(400);
    assertThat(busFailure("list", new JsonObject().put("limit", -1)).failureCode()).isEqualTo(400);
    ReplyException badId = busFailure("get", new JsonObject().put("id", "a\u0000b"));
    assertThat(badId.failureCode()).isEqualTo(400);
    assertThat(new JsonObject(badId.getMessage()).getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("id");
  }

  private static ReplyException busFailure(String action, JsonObject body) {
    Throwable t = catchThrowable(() -> TestNode.await(NODE.get().node().vertx().eventBus().request(
        EventBusApiVerticle.ADDRESS, body, new DeliveryOptions().addHeader("action", action)), 30));
    assertThat(t).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ReplyException.class);
    return (ReplyException) t.getCause();
  }

  private static void assertMethodNotAllowed(String method, String path, String allow) throws Exception {
    RawHttp.Answer a = RawHttp.send(NODE.get(), method, path, method.equals("GET") ? null : "{}");
    assertThat(a.status()).as(method + " " + path + " -> " + a.body()).isEqualTo(405);
    assertThat(a.header("Allow")).as(method + " " + path).hasValue(allow);
    assertThat(a.json().getString("error")).isEqualTo("method_not_allowed");
    assertThat(a.json().getString("message")).contains(method);
    assertThat(a.json().getJsonArray("details")).isEmpty();
  }

  @Test
  void a_known_path_with_a_wrong_method_is_405_with_allow() throws Exception {
    assertMethodNotAllowed("PATCH", "/api/v1/jobs/err-a", "DELETE, GET, PUT");
    assertMethodNotAllowed("DELETE", "/api/v1/jobs", "GET, POST");
    assertMethodNotAllowed("GET", "/api/v1/jobs/err-a/pause", "POST");
    assertMethodNotAllowed("PUT", "/api/v1/jobs/err-a/runs", "GET");
    assertMethodNotAllowed("DELETE", "/api/v1/runs/" + UUID.randomUUID(), "GET");
    assertMethodNotAllowed("POST", "/health", "GET");
  }

  @Test
  void unknown_paths_are_404_in_the_error_shape_and_the_dashboard_is_still_served() throws Exception {
    for (String path : List.of("/api/v1/nope", "/api/v1/jobs/err-a/nope", "/api/v2/jobs", "/api", "/nope.html")) {
      RawHttp.Answer a = RawHttp.get(NODE.get(), path);
      assertThat(a.status()).as(path).isEqualTo(404);
      assertThat(a.json().getString("error")).as(path).isEqualTo("not_found");
      assertThat(a.json().getJsonArray("details")).isEmpty();
    }
    for (String path : List.of("/", "/index.html")) {
      RawHttp.Answer page = RawHttp.get(NODE.get(), path);
      assertThat(page.status()).as(path).isEqualTo(200);
      assertThat(page.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    }
  }
}
