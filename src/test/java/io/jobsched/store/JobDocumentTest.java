package io.jobsched.store;

import io.jobsched.job.AfterSchedule;
import io.jobsched.job.AtSchedule;
import io.jobsched.job.CronSchedule;
import io.jobsched.job.EventBusTask;
import io.jobsched.job.EverySchedule;
import io.jobsched.job.HttpTask;
import io.jobsched.job.Job;
import io.jobsched.job.MisfirePolicy;
import io.jobsched.job.NoopTask;
import io.jobsched.job.OnceSchedule;
import io.jobsched.job.OverlapPolicy;
import io.jobsched.job.RetryPolicy;
import io.jobsched.job.Schedule;
import io.jobsched.job.ShellTask;
import io.jobsched.job.TaskSpec;
import io.jobsched.job.TimeoutPolicy;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobDocumentTest {
  private static Job job(Schedule schedule, TaskSpec task) {
    return new Job("j-1", "team-a", "name", Map.of("team", "billing"), schedule, task, "small", Duration.ofSeconds(30),
        new TimeoutPolicy(TimeoutPolicy.Action.HANDLER, "alerts", Duration.ofSeconds(5)),
        new RetryPolicy(3, Duration.ofMillis(1500), 2.5, Duration.ofMinutes(5), 0.1), 700, OverlapPolicy.FORBID,
        new MisfirePolicy(MisfirePolicy.Kind.FIRE_ALL, Duration.ofHours(2)));
  }

  @Test
  void every_schedule_and_task_kind_reads_back_as_written() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("k", List.of(1, "two", Map.of("three", true)));
    List<Schedule> schedules = List.of(new CronSchedule("0 30 2 * * *", ZoneId.of("Europe/Berlin")),
        new AtSchedule(Instant.parse("2026-11-22T10:00:00.123456Z")), new EverySchedule(Duration.ofSeconds(30), null),
        new EverySchedule(Duration.ofMinutes(5), Instant.parse("2026-01-01T00:00:00Z")), new OnceSchedule(),
        new AfterSchedule("extract", AfterSchedule.AfterOutcome.FAILURE));
    List<TaskSpec> tasks = List.of(new ShellTask(List.of("/bin/sh", "-c", "echo 'hi' \"there\""), Map.of("K", "V"), "/tmp"),
        new ShellTask(List.of("true"), Map.of(), null),
        new HttpTask("POST", URI.create("https://example.test/hook?a=1"), Map.of("X-A", "b"), "{\"x\":1}"),
        new EventBusTask("some.address", body), new EventBusTask("other", null), new NoopTask(Duration.ofMillis(250)));
    for (Schedule s : schedules) {
      for (TaskSpec t : tasks) {
        Job job = job(s, t);
        assertThat(JobDocument.read("j-1", JobDocument.write(job))).isEqualTo(job);
      }
    }
  }

  @Test
  void the_document_is_the_stores_own_form_not_the_api_json() {
    JsonObject doc = new JsonObject(JobDocument.write(job(new CronSchedule("* * * * *", ZoneId.of("UTC")),
        new NoopTask(Duration.ZERO))));
    assertThat(doc.getString("resource_class")).isEqualTo("small");
    assertThat(doc.getJsonObject("schedule").getString("zone")).isEqualTo("UTC");
    assertThat(doc.getString("overlap")).isEqualTo("FORBID");
  }

  @Test
  void a_corrupt_document_names_the_job() {
    assertThatThrownBy(() -> JobDocument.read("broken", "{\"schedule\": 3}"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("job broken");
  }

  @Test
  void the_cache_parses_each_version_once_and_stays_bounded() {
    JobCache cache = new JobCache(2);
    String doc = JobDocument.write(job(new OnceSchedule(), new NoopTask(Duration.ZERO)));
    Job first = cache.get("a", 1, doc);
    assertThat(cache.get("a", 1, "not even json")).isSameAs(first);
    cache.get("b", 1, doc);
    cache.get("c", 1, doc);
    assertThat(cache.cached("a", 1)).as("least recently used, evicted").isNull();
    assertThat(cache.cached("c", 1)).isNotNull();
  }
}
