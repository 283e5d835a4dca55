package io.jobsched.api.json;

import io.jobsched.job.FieldError;
import io.jobsched.job.Job;
import io.jobsched.job.JobValidationException;
import io.jobsched.job.NotifyEvent;
import io.jobsched.job.NotifyTarget;
import io.jobsched.store.JobDocument;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class NotifyCodecTest {
  private static final String BASE = "{\"id\":\"j\",\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"}";
  private static final String RULES = ",\"notify\":[{\"on\":[\"timeout\",\"failure\"],\"webhook\":{\"url\":\"https://h.example/hook\","
      + "\"headers\":{\"Authorization\":\"Bearer t\"}}},{\"on\":[\"skipped\"],\"eventbus\":{\"address\":\"team.alerts\"}}]";

  private static Job parse(String extra) {
    return JobCodec.parse(new JsonObject(BASE + extra + "}"), null);
  }

  @Test
  void rules_parse_and_round_trip_through_the_api_json_and_the_stored_document() {
    Job job = parse(RULES);
    assertThat(job.notifyRules()).hasSize(2);
    assertThat(job.notifyRules().get(0).on()).containsExactlyInAnyOrder(NotifyEvent.FAILURE, NotifyEvent.TIMEOUT);
    assertThat(job.notifyRules().get(0).target())
        .isEqualTo(new NotifyTarget.Webhook("https://h.example/hook", Map.of("Authorization", "Bearer t")));
    assertThat(job.notifyRules().get(1).target()).isEqualTo(new NotifyTarget.EventBus("team.alerts"));
    JsonObject json = JobCodec.toJson(job);
    assertThat(json.getJsonArray("notify").getJsonObject(0).getJsonArray("on").getList())
        .as("written in one order").containsExactly("failure", "timeout");
    assertThat(JobCodec.parse(json, null)).isEqualTo(job);
    assertThat(JobDocument.read("j", JobDocument.write(job))).isEqualTo(job);
  }

  @Test
  void a_job_without_rules_has_an_empty_list_and_old_documents_read_as_none() {
    Job job = parse("");
    assertThat(job.notifyRules()).isEmpty();
    assertThat(JobCodec.toJson(job).getJsonArray("notify")).isEmpty();
    String stored = JobDocument.write(job);
    JsonObject old = new JsonObject(stored);
    old.remove("notify_rules");
    assertThat(JobDocument.read("j", old.encode())).isEqualTo(job);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{}                                                                          | notify",
      "[{\"on\":[\"failure\"]}]                                                    | notify[0]",
      "[{\"on\":[\"failure\"],\"webhook\":{\"url\":\"http://a\"},\"eventbus\":{\"address\":\"b\"}}] | notify[0]",
      "[{\"on\":[],\"webhook\":{\"url\":\"http://a\"}}]                            | notify[0].on",
      "[{\"webhook\":{\"url\":\"http://a\"}}]                                      | notify[0].on",
      "[{\"on\":[\"boom\"],\"webhook\":{\"url\":\"http://a\"}}]                    | notify[0].on[0]",
      "[{\"on\":[\"failure\",\"failure\"],\"webhook\":{\"url\":\"http://a\"}}]     | notify[0].on[1]",
      "[{\"on\":[\"failure\"],\"webhook\":{\"url\":\"ftp://a\"}}]                  | notify[0].webhook.url",
      "[{\"on\":[\"failure\"],\"webhook\":{\"url\":\"not a url\"}}]                | notify[0].webhook.url",
      "[{\"on\":[\"failure\"],\"webhook\":{}}]                                     | notify[0].webhook.url",
      "[{\"on\":[\"failure\"],\"webhook\":{\"url\":\"http://a\",\"headers\":{\"X\":1}}}] | notify[0].webhook.headers.X",
      "[{\"on\":[\"failure\"],\"webhook\":{\"url\":\"http://a\",\"headers\":{\"X\":\"a\\nb\"}}}] | notify[0].webhook.headers.X",
      "[{\"on\":[\"failure\"],\"webhook\":{\"url\":\"http://a\",\"method\":\"PUT\"}}] | notify[0].webhook.method",
      "[{\"on\":[\"failure\"],\"eventbus\":{\"address\":\"\"}}]                    | notify[0].eventbus.address",
      "[{\"on\":[\"failure\"],\"eventbus\":\"x\"}]                                 | notify[0].eventbus",
      "[{\"on\":[\"failure\"],\"webhook\":{\"url\":\"http://a\"}},\"x\"]           | notify[1]",
      "[{\"on\":[\"failure\"],\"webhook\":{\"url\":\"http://a\"},\"when\":1}]      | notify[0].when",
  })
  void bad_rules_are_400_naming_the_field(String notify, String field) {
    JobValidationException e = catchThrowableOfType(JobValidationException.class,
        () -> JobCodec.parse(new JsonObject(BASE + ",\"notify\":" + notify + "}"), null));
    assertThat(e).isNotNull();
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.details()).extracting(FieldError::field).contains(field);
  }

  @Test
  void the_list_is_bounded() {
    String rule = "{\"on\":[\"failure\"],\"eventbus\":{\"address\":\"a\"}}";
    String eleven = "[" + String.join(",", java.util.Collections.nCopies(11, rule)) + "]";
    JobValidationException e = catchThrowableOfType(JobValidationException.class,
        () -> JobCodec.parse(new JsonObject(BASE + ",\"notify\":" + eleven + "}"), null));
    assertThat(e.details()).extracting(FieldError::field).containsExactly("notify");
    String ten = "[" + String.join(",", java.util.Collections.nCopies(10, rule)) + "]";
    assertThat(parse(",\"notify\":" + ten).notifyRules()).hasSize(10);
    assertThat(Set.copyOf(parse(",\"notify\":" + ten).notifyRules())).hasSize(1);
  }
}
