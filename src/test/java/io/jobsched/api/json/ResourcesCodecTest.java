package io.jobsched.api.json;

import io.jobsched.job.Job;
import io.jobsched.job.JobValidationException;
import io.jobsched.job.Needs;
import io.jobsched.store.JobDocument;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ResourcesCodecTest {
  private static Job parse(String resources) {
    return JobCodec.parse(new JsonObject("{\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"}"
        + (resources == null ? "" : ",\"resources\":" + resources) + "}"), null);
  }

  @Test
  void a_job_without_sizes_reserves_nothing_and_says_so() {
    Job job = parse(null);
    assertThat(job.needs()).isEqualTo(Needs.NONE);
    assertThat(JobCodec.toJson(job).getJsonObject("resources")).isEqualTo(new JsonObject().put("class", "default")
        .put("cpu", 0).put("memory_mb", 0).put("gpu", 0));
  }

  @Test
  void sizes_parse_round_trip_and_survive_the_stored_document() {
    Job job = parse("{\"class\":\"big\",\"cpu\":2.5,\"memory_mb\":4096,\"gpu\":1}");
    assertThat(job.needs()).isEqualTo(new Needs(2500, 4096, 1));
    JsonObject json = JobCodec.toJson(job).getJsonObject("resources");
    assertThat(json.getDouble("cpu")).isEqualTo(2.5);
    assertThat(JobCodec.parse(JobCodec.toJson(job).put("id", "x"), null).needs()).isEqualTo(job.needs());
    assertThat(JobDocument.read("x", JobDocument.write(job.withId("x"))).needs()).isEqualTo(job.needs());
    assertThat(JobDocument.read("x", JobDocument.write(parse(null).withId("x"))).needs()).isEqualTo(Needs.NONE);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"cpu\":-1}|resources.cpu", "{\"cpu\":1025}|resources.cpu", "{\"cpu\":0.0005}|resources.cpu",
      "{\"cpu\":\"2\"}|resources.cpu", "{\"memory_mb\":-5}|resources.memory_mb",
      "{\"memory_mb\":16777217}|resources.memory_mb", "{\"memory_mb\":0.5}|resources.memory_mb",
      "{\"gpu\":65}|resources.gpu", "{\"gpu\":1.5}|resources.gpu", "{\"ram\":1}|resources.ram"})
  void bad_sizes_are_400_naming_the_field(String resources, String field) {
    JobValidationException e = catchThrowableOfType(JobValidationException.class, () -> parse(resources));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.details()).extracting(f -> f.field()).containsExactly(field);
  }
}
