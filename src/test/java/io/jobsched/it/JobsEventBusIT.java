package io.jobsched.it;

import io.jobsched.api.EventBusApiVerticle;
import io.jobsched.settle.RunEvents;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static io.jobsched.it.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** In-cluster producers use the same operations over the event bus, with REST's bodies and error codes. */
class JobsEventBusIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("eventbus");

  private static JsonObject call(String action, JsonObject body) throws Exception {
    return await(NODE.get().node().vertx().eventBus().<JsonObject>request(EventBusApiVerticle.ADDRESS, body,
        new DeliveryOptions().addHeader("action", action)), 30).body();
  }

  private static ReplyException failure(String action, Object body) {
    Throwable t = catchThrowable(() -> await(NODE.get().node().vertx().eventBus().request(EventBusApiVerticle.ADDRESS, body,
        new DeliveryOptions().addHeader("action", action)), 30));
    assertThat(t).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ReplyException.class);
    return (ReplyException) t.getCause();
  }

  @Test
  void create_get_pause_trigger_list_and_delete_over_the_event_bus() throws Exception {
    JsonObject job = new JsonObject("{\"id\":\"bus-job\",\"schedule\":{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"},"
        + "\"task\":{\"type\":\"noop\"},\"labels\":{\"via\":\"bus\"}}");
    assertThat(call("create", job).getLong("version")).isEqualTo(1L);
    assertThat(call("get", new JsonObject().put("id", "bus-job")).getString("id")).isEqualTo("bus-job");
    assertThat(call("pause", new JsonObject().put("id", "bus-job")).getBoolean("paused")).isTrue();
    assertThat(call("resume", new JsonObject().put("id", "bus-job")).getBoolean("paused")).isFalse();
    assertThat(call("replace", job.copy().put("name", "renamed")).getString("name")).isEqualTo("renamed");
    assertThat(call("trigger", new JsonObject().put("id", "bus-job")).getString("trigger")).isEqualTo("manual");
    assertThat(call("list", new JsonObject().put("labels", new JsonObject().put("via", "bus")))
        .getJsonArray("items")).hasSize(1);
    assertThat(call("delete", new JsonObject().put("id", "bus-job")).getBoolean("deleted")).isTrue();
    assertThat(failure("get", new JsonObject().put("id", "bus-job")).failureCode()).isEqualTo(404);
  }

  @Test
  void event_bus_changes_are_versions_recorded_as_eventbus_and_rollback_works_there_too() throws Exception {
    JsonObject job = new JsonObject("{\"id\":\"bus-audit\",\"schedule\":{\"type\":\"at\",\"at\":\"2099-01-01T00:00:00Z\"},"
        + "\"task\":{\"type\":\"noop\"}}");
    call("create", job);
    call("replace", job.copy().put("name", "renamed"));
    call("pause", new JsonObject().put("id", "bus-audit"));
    call("resume", new JsonObject().put("id", "bus-audit"));
    JsonObject rolled = call("rollback", new JsonObject().put("id", "bus-audit").put("version", 1));
    assertThat(rolled.getLong("version")).isEqualTo(5L);
    assertThat(rolled.getString("name")).isEqualTo("bus-audit");
    call("delete", new JsonObject().put("id", "bus-audit"));
    assertThat(failure("rollback", new JsonObject().put("id", "bus-audit").put("version", "x")).failureCode()).isEqualTo(400);
    io.vertx.core.json.JsonArray versions = NODE.get().get("/api/v1/jobs/bus-audit/versions").body().getJsonArray("items");
    assertThat(versions.stream().map(v -> ((JsonObject) v).getString("change")))
        .containsExactly("delete", "rollback", "resume", "pause", "replace", "create");
    versions.forEach(v -> assertThat(((JsonObject) v).getString("changed_by")).isEqualTo("eventbus"));
  }

  @Test
  void a_finished_run_is_published_as_the_run_json_the_api_answers() throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = NODE.get().node().vertx().eventBus().consumer(RunEvents.ADDRESS,
        msg -> events.add(msg.body()));
    await(consumer.completion(), 10);
    try {
      call("create", new JsonObject("{\"id\":\"bus-announced\",\"schedule\":{\"type\":\"at\","
          + "\"at\":\"2099-01-01T00:00:00Z\"},\"task\":{\"type\":\"noop\"}}"));
      String runId = call("trigger", new JsonObject().put("id", "bus-announced")).getString("id");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> events.stream()
          .anyMatch(e -> runId.equals(e.getString("id")) && "SUCCESS".equals(e.getString("status"))));
      // as a listener on another node gets it: over the wire (a local listener's numbers keep their Java types)
      JsonObject published = new JsonObject(events.stream().filter(e -> runId.equals(e.getString("id"))
          && "SUCCESS".equals(e.getString("status"))).findFirst().orElseThrow().encode());
      JsonObject stored = NODE.get().get("/api/v1/runs/" + runId).body();
      // everything the API says about the finished run, the event said too
      assertThat(published.fieldNames()).containsAll(stored.fieldNames());
      for (String field : stored.fieldNames()) {
        assertThat(published.getValue(field)).as(field).isEqualTo(stored.getValue(field));
      }
    } finally {
      await(consumer.unregister(), 10);
    }
  }

  @Test
  void errors_carry_the_status_and_the_api_error_object() {
    ReplyException invalid = failure("create", new JsonObject("{\"schedule\":{\"type\":\"once\"}}"));
    assertThat(invalid.failureCode()).isEqualTo(400);
    JsonObject error = new JsonObject(invalid.getMessage());
    assertThat(error.getString("error")).isEqualTo("invalid_job");
    assertThat(error.getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("task");
    assertThat(failure("explode", new JsonObject()).failureCode()).isEqualTo(400);
    assertThat(failure("get", "not json").failureCode()).isEqualTo(400);
  }
}
