package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/runs/{id}/logs/follow}: Server-Sent Events of a run's lines while it runs, from a node
 * that does not run it (no worker role; an external worker process runs the task), resumed after
 * {@code Last-Event-ID}, ended once the run ended and its lines were delivered.
 */
class LogFollowIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("logfollow", conf -> conf.getJsonObject("node")
      .put("roles", new JsonArray().add("api").add("scheduler").add("reaper").add("indexer")));
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** One SSE event: its id (null for the end event), name and data. */
  private record Event(String id, String name, String data, Instant received) {}

  private static List<Event> follow(String runId, String lastEventId) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + NODE.get().node().httpPort()
        + "/api/v1/runs/" + runId + "/logs/follow")).timeout(Duration.ofSeconds(60));
    if (lastEventId != null) {
      req.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<Stream<String>> resp = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    List<Event> events = new ArrayList<>();
    String id = null, name = "message";
    StringBuilder data = new StringBuilder();
    for (String line : (Iterable<String>) resp.body()::iterator) {
      if (line.isEmpty()) {
        if (data.length() > 0) {
          events.add(new Event(id, name, data.toString(), Instant.now()));
        }
        id = null;
        name = "message";
        data.setLength(0);
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("event: ")) {
        name = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data.append(line.substring(6));
      }
    }
    return events;
  }

  @Test
  void lines_arrive_while_the_run_runs_on_another_node_and_a_follow_resumes_after_the_last_event() throws Exception {
    String isolation = NODE.get().config().redis().prefix();
    try (ExternalWorker worker = ExternalWorker.start(isolation, "ext-printer")) {
      assertThat(NODE.get().post("/api/v1/jobs", "{\"id\":\"printer\",\"schedule\":{\"type\":\"once\"},\"task\":"
          + "{\"type\":\"shell\",\"command\":[\"/bin/sh\",\"-c\",\"for i in 1 2 3 4 5 6; do echo line $i; sleep 1; done\"]}}")
          .status()).isEqualTo(201);
      await().atMost(Duration.ofSeconds(20)).until(() -> NODE.get().get("/api/v1/jobs/printer/runs").body()
          .getJsonArray("items").size() == 1);
      String runId = NODE.get().get("/api/v1/jobs/printer/runs").body().getJsonArray("items").getJsonObject(0)
          .getString("id");

      List<Event> events = follow(runId, null);
      List<Event> lines = events.stream().filter(e -> e.name().equals("message")).toList();
      assertThat(lines).extracting(Event::id).containsExactly("1", "2", "3", "4", "5", "6");
      assertThat(lines).extracting(e -> new JsonObject(e.data()).getString("line"))
          .containsExactly("line 1", "line 2", "line 3", "line 4", "line 5", "line 6");
      assertThat(events.get(events.size() - 1).name()).isEqualTo("end");
      JsonObject run = NODE.get().get("/api/v1/runs/" + runId).body();
      assertThat(run.getString("status")).isEqualTo("SUCCESS");
      assertThat(run.getString("worker")).startsWith("ext-printer/");
      assertThat(lines.get(0).received()).as("the first line came while the run still ran")
          .isBefore(Instant.parse(run.getString("finished_at")));

      List<Event> resumed = follow(runId, "4");
      assertThat(resumed.stream().filter(e -> e.name().equals("message")).map(Event::id).toList())
          .containsExactly("5", "6");
      assertThat(resumed.get(resumed.size() - 1).name()).isEqualTo("end");
    }
    assertThat(NODE.get().get("/api/v1/runs/00000000-0000-0000-0000-000000000000/logs/follow").status())
        .isEqualTo(404);
  }
}
