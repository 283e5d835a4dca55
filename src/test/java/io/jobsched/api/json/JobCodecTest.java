package io.jobsched.api.json;

import io.jobsched.job.CronSchedule;
import io.jobsched.job.FieldError;
import io.jobsched.job.Job;
import io.jobsched.job.JobValidationException;
import io.jobsched.job.MisfirePolicy;
import io.jobsched.job.OverlapPolicy;
import io.jobsched.job.TimeoutPolicy;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JobCodecTest {
  private static final String API_EXAMPLE = """
      {
        "id": "nightly-report",
        "namespace": "default",
        "name": "Nightly report",
        "labels": {"team": "billing"},
        "schedule": {"type": "cron", "expression": "0 30 2 * * *", "timezone": "Europe/Berlin"},
        "task": {"type": "shell", "command": ["/bin/sh", "-c", "echo hello"], "env": {"K": "V"}},
        "resources": {"class": "small"},
        "timeout": "PT30S",
        "on_timeout": {"action": "retry", "handler_job_id": null, "grace": "PT5S"},
        "retry": {"max_attempts": 3, "initial_delay": "PT1S", "multiplier": 2.0, "max_delay": "PT5M", "jitter": 0.2},
        "priority": 500,
        "overlap": "allow",
        "misfire": {"policy": "fire_once", "window": "PT1H"}
      }""";

  @Test
  void the_api_example_parses_and_round_trips() {
    Job job = JobCodec.parse(new JsonObject(API_EXAMPLE), null);
    assertThat(job.id()).isEqualTo("nightly-report");
    assertThat(job.schedule()).isInstanceOf(CronSchedule.class);
    assertThat(job.resourceClass()).isEqualTo("small");
    assertThat(job.onTimeout().action()).isEqualTo(TimeoutPolicy.Action.RETRY);
    assertThat(job.retry().maxAttempts()).isEqualTo(3);
    assertThat(JobCodec.parse(JobCodec.toJson(job), null)).isEqualTo(job);
  }

  @Test
  void a_minimal_body_gets_every_default() {
    Job job = JobCodec.parse(new JsonObject("{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"}}"), null);
    assertThat(job.id()).isNull();
    assertThat(job.namespace()).isEqualTo("default");
    assertThat(job.resourceClass()).isEqualTo("default");
    assertThat(job.timeout()).isEqualTo(Duration.ofHours(1));
    assertThat(job.onTimeout()).isEqualTo(new TimeoutPolicy(TimeoutPolicy.Action.FAIL, null, Duration.ofSeconds(10)));
    assertThat(job.retry().maxAttempts()).isEqualTo(1);
    assertThat(job.priority()).isEqualTo(500);
    assertThat(job.overlap()).isEqualTo(OverlapPolicy.ALLOW);
    assertThat(job.misfire()).isEqualTo(new MisfirePolicy(MisfirePolicy.Kind.FIRE_ONCE, Duration.ofHours(1)));
    assertThat(JobCodec.parse(JobCodec.toJson(job.withId("x")), null)).isEqualTo(job.withId("x"));
  }

  @Test
  void a_partial_nested_object_is_complete() {
    Job job = JobCodec.parse(new JsonObject("{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"},"
        + "\"on_timeout\":{\"action\":\"fail\"}}"), null);
    assertThat(job.onTimeout().grace()).isEqualTo(Duration.ofSeconds(10));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"},\"colour\":1}                    | colour",
      "{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"},\"retry\":{\"max_atempts\":2}}    | retry.max_atempts",
      "{\"task\":{\"type\":\"noop\"}}                                                                   | schedule",
      "{\"schedule\":{\"type\":\"once\"}}                                                               | task",
      "{\"id\":\"bad id!\",\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"}}               | id",
      "{\"schedule\":{\"type\":\"cron\",\"expression\":\"61 * * * *\"},\"task\":{\"type\":\"noop\"}}    | schedule.expression",
      "{\"schedule\":{\"type\":\"cron\",\"expression\":\"* * * * *\",\"timezone\":\"Mars/Base\"},\"task\":{\"type\":\"noop\"}} | schedule.timezone",
      "{\"schedule\":{\"type\":\"at\",\"at\":\"tomorrow\"},\"task\":{\"type\":\"noop\"}}                | schedule.at",
      "{\"schedule\":{\"type\":\"every\",\"interval\":\"-PT5S\"},\"task\":{\"type\":\"noop\"}}          | schedule.interval",
      "{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"},\"timeout\":\"30s\"}              | timeout",
      "{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"},\"priority\":1001}                | priority",
      "{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"},\"priority\":\"high\"}            | priority",
      "{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"shell\",\"command\":[]}}                  | task.command",
      "{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"shell\",\"command\":[\"a\",3]}}           | task.command[1]",
      "{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"},\"name\":\"a\\u0000b\"}           | name",
      "{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"},\"on_timeout\":{\"action\":\"handler\"}} | on_timeout.handler_job_id",
      "{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"http\",\"url\":\"ftp://x\"}}              | task.url",
      "{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"},\"overlap\":\"sometimes\"}        | overlap",
  })
  void bad_bodies_name_the_field(String body, String field) {
    JobValidationException e = catchThrowableOfType(JobValidationException.class,
        () -> JobCodec.parse(new JsonObject(body), null));
    assertThat(e).isNotNull();
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.details()).extracting(FieldError::field).contains(field);
  }

  @Test
  void instants_are_kept_to_the_microsecond_like_postgres() {
    Job job = JobCodec.parse(new JsonObject("{\"schedule\":{\"type\":\"at\",\"at\":\"2026-11-22T10:00:00.123456789+01:00\"},"
        + "\"task\":{\"type\":\"noop\"}}"), null);
    assertThat(((io.jobsched.job.AtSchedule) job.schedule()).at())
        .isEqualTo(java.time.Instant.parse("2026-11-22T09:00:00.123456Z"));
  }

  @Test
  void a_cron_that_can_never_fire_is_unprocessable() {
    JobValidationException e = catchThrowableOfType(JobValidationException.class, () -> JobCodec.parse(new JsonObject(
        "{\"schedule\":{\"type\":\"cron\",\"expression\":\"0 0 30 2 *\"},\"task\":{\"type\":\"noop\"}}"), null));
    assertThat(e.status()).isEqualTo(422);
    assertThat(e.code()).isEqualTo("cron_never_fires");
    assertThat(e.details()).extracting(FieldError::field).containsExactly("schedule.expression");
    JobValidationException mixed = catchThrowableOfType(JobValidationException.class, () -> JobCodec.parse(new JsonObject(
        "{\"schedule\":{\"type\":\"cron\",\"expression\":\"0 0 31 4 *\"},\"task\":{\"type\":\"noop\"},\"x\":1}"), null));
    assertThat(mixed.status()).as("malformed parts make it a 400").isEqualTo(400);
  }

  @Test
  void every_problem_is_reported_at_once() {
    JobValidationException e = catchThrowableOfType(JobValidationException.class, () -> JobCodec.parse(new JsonObject(
        "{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"},\"priority\":-1,\"timeout\":\"x\",\"x\":1}"),
        null));
    assertThat(e.details()).extracting(FieldError::field).containsExactlyInAnyOrder("priority", "timeout", "x");
  }
}
