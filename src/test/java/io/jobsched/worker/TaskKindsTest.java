package io.jobsched.worker;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure parts of the http and eventbus runners: header names, result wording, body types, log lines. */
class TaskKindsTest {
  @Test
  void identity_keys_become_title_kebab_headers_and_the_namespace_is_reserved() {
    assertThat(IdentityHeaders.name("JOB_ID")).isEqualTo("X-Jobsched-Job-Id");
    assertThat(IdentityHeaders.name("SCHEDULED_FOR")).isEqualTo("X-Jobsched-Scheduled-For");
    assertThat(IdentityHeaders.name("CONTEXT")).isEqualTo("X-Jobsched-Context");
    assertThat(IdentityHeaders.isReserved("x-jobsched-run-id")).isTrue();
    assertThat(IdentityHeaders.isReserved("X-Jobsched-Anything")).isTrue();
    assertThat(IdentityHeaders.isReserved("X-Jobs")).isFalse();
  }

  @Test
  void http_status_decides_and_a_failure_quotes_the_start_of_the_body() {
    assertThat(HttpCall.result(204, "No Content", "")).isEqualTo(TaskResult.success(204));
    TaskResult failed = HttpCall.result(503, "Service Unavailable", "down\nfor maintenance " + "x".repeat(500));
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.exitCode()).isEqualTo(503);
    assertThat(failed.error()).startsWith("HTTP 503 Service Unavailable: down for maintenance x").hasSizeLessThan(240);
    assertThat(HttpCall.result(302, "", "").error()).isEqualTo("HTTP 302");
  }

  @Test
  void eventbus_bodies_are_sent_as_types_the_bus_can_carry() {
    assertThat(EventBusTaskRunner.body(Map.of("a", 1))).isEqualTo(new JsonObject().put("a", 1));
    assertThat(EventBusTaskRunner.body(new ArrayList<>(Arrays.asList("a", null)))).isEqualTo(new JsonArray().add("a").addNull());
    assertThat(EventBusTaskRunner.body("text")).isEqualTo("text");
    assertThat(EventBusTaskRunner.body(7)).isEqualTo(7);
    assertThat(EventBusTaskRunner.body(null)).isNull();
    assertThat(EventBusTaskRunner.body(new BigInteger("123456789012345678901234567890"))).isEqualTo("123456789012345678901234567890");
  }

  @Test
  void eventbus_failures_say_what_happened() {
    assertThat(EventBusTaskRunner.failure("a.b", 1000, new ReplyException(ReplyFailure.NO_HANDLERS, "x")).error())
        .isEqualTo("no consumer at address a.b");
    TaskResult refused = EventBusTaskRunner.failure("a.b", 1000, new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 42, "nope"));
    assertThat(refused.exitCode()).isEqualTo(42);
    assertThat(refused.error()).isEqualTo("nope (failure code 42)");
    assertThat(EventBusTaskRunner.failure("a.b", 1000, new ReplyException(ReplyFailure.TIMEOUT, "t")).error())
        .isEqualTo("no reply from a.b within 1000 ms");
  }

  @Test
  void text_is_logged_line_by_line_and_capped() {
    List<String> lines = new ArrayList<>();
    TextLines.log((stream, line) -> lines.add(stream + ":" + line), "one\r\ntwo\n\nthree", null);
    assertThat(lines).containsExactly("stdout:one", "stdout:two", "stdout:", "stdout:three");
    lines.clear();
    TextLines.log((stream, line) -> lines.add(line), "a\n".repeat(TextLines.MAX_CHARS), null);
    assertThat(lines).hasSize(TextLines.MAX_CHARS / 2 + 1);
    assertThat(lines.get(lines.size() - 1)).startsWith("[jobsched: output cut");
  }
}
