package io.jobsched.job;

import io.jobsched.api.json.JobCodec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** "What changed" between two versions of a job: the API's top-level field names, in the API's order. */
class ChangedFieldsTest {
  private static Job job(String extra) {
    return JobCodec.parse(new JsonObject("{\"id\":\"j\",\"schedule\":{\"type\":\"cron\",\"expression\":\"0 2 * * *\"},"
        + "\"task\":{\"type\":\"noop\"}" + extra + "}"), null);
  }

  @Test
  void a_create_changes_every_field() {
    assertThat(ChangedFields.between(null, job(""))).containsExactly("id", "namespace", "name", "labels", "schedule",
        "task", "resources", "timeout", "on_timeout", "retry", "priority", "overlap", "misfire", "notify");
  }

  @Test
  void an_identical_definition_changes_nothing() {
    assertThat(ChangedFields.between(job(",\"labels\":{\"a\":\"b\"}"), job(",\"labels\":{\"a\":\"b\"}"))).isEmpty();
  }

  @Test
  void defaults_written_out_are_no_change() {
    assertThat(ChangedFields.between(job(""), job(",\"timeout\":\"PT1H\",\"priority\":500,\"overlap\":\"allow\""))).isEmpty();
  }

  @Test
  void names_each_top_level_field_that_differs_in_api_order() {
    Job before = job("");
    Job after = JobCodec.parse(new JsonObject("{\"id\":\"j\",\"timeout\":\"PT5M\",\"schedule\":{\"type\":\"cron\","
        + "\"expression\":\"0 3 * * *\"},\"task\":{\"type\":\"noop\"}}"), null);
    assertThat(ChangedFields.between(before, after)).containsExactly("schedule", "timeout");
  }

  @Test
  void nested_changes_name_their_top_level_field() {
    assertThat(ChangedFields.between(job(",\"retry\":{\"max_attempts\":2}"), job(",\"retry\":{\"max_attempts\":3}")))
        .containsExactly("retry");
    assertThat(ChangedFields.between(job(",\"resources\":{\"class\":\"small\"}"), job(",\"resources\":{\"class\":\"big\"}")))
        .containsExactly("resources");
    assertThat(ChangedFields.between(job(",\"misfire\":{\"policy\":\"skip\"}"), job("")))
        .containsExactly("misfire");
    assertThat(ChangedFields.between(job(",\"labels\":{\"team\":\"a\"}"), job(",\"labels\":{\"team\":\"b\"}")))
        .containsExactly("labels");
    assertThat(ChangedFields.between(job(""), job(",\"notify\":[{\"on\":[\"failure\"],\"eventbus\":{\"address\":\"a\"}}]")))
        .containsExactly("notify");
  }

  @Test
  void a_schedule_in_another_zone_is_a_schedule_change() {
    assertThat(ChangedFields.between(job(""), JobCodec.parse(new JsonObject("{\"id\":\"j\",\"schedule\":{\"type\":\"cron\","
        + "\"expression\":\"0 2 * * *\",\"timezone\":\"Europe/Berlin\"},\"task\":{\"type\":\"noop\"}}"), null)))
        .containsExactly("schedule");
  }

  @Test
  void a_task_change_is_named_task() {
    Job shell = JobCodec.parse(new JsonObject("{\"id\":\"j\",\"schedule\":{\"type\":\"cron\",\"expression\":\"0 2 * * *\"},"
        + "\"task\":{\"type\":\"shell\",\"command\":[\"true\"]}}"), null);
    Job other = JobCodec.parse(new JsonObject("{\"id\":\"j\",\"schedule\":{\"type\":\"cron\",\"expression\":\"0 2 * * *\"},"
        + "\"task\":{\"type\":\"shell\",\"command\":[\"false\"]}}"), null);
    assertThat(ChangedFields.between(shell, other)).containsExactly("task");
    assertThat(ChangedFields.between(shell, job(""))).containsExactly("task");
  }
}
