package io.jobsched.service;

import io.jobsched.api.json.JobCodec;
import io.jobsched.job.Job;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A notification is an outbound request like a task's: a token's task_kinds bound it too. */
class CallerNotifyTest {
  private static Job job(String target) {
    return JobCodec.parse(new JsonObject("{\"id\":\"j\",\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"},"
        + "\"notify\":[{\"on\":[\"failure\"]," + target + "}]}"), null);
  }

  private static final Job WEBHOOK = job("\"webhook\":{\"url\":\"http://10.0.0.1/x\"}");
  private static final Job EVENTBUS = job("\"eventbus\":{\"address\":\"a\"}");

  @Test
  void a_token_confined_to_other_kinds_may_not_define_notifications_of_a_kind_it_lacks() {
    Caller noopOnly = new Caller("ci", Caller.Scope.WRITE, null, Set.of("noop"));
    assertThatThrownBy(() -> noopOnly.mayDefine(WEBHOOK)).isInstanceOfSatisfying(ApiException.class,
        e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains("http notifications"));
    assertThatThrownBy(() -> noopOnly.mayDefine(EVENTBUS)).isInstanceOf(ApiException.class);
    Caller withHttp = new Caller("ci", Caller.Scope.WRITE, null, Set.of("noop", "http"));
    assertThatCode(() -> withHttp.mayDefine(WEBHOOK)).doesNotThrowAnyException();
    assertThatThrownBy(() -> withHttp.mayDefine(EVENTBUS)).isInstanceOf(ApiException.class);
  }

  @Test
  void write_and_admin_tokens_without_task_kinds_may_define_both() {
    Caller write = new Caller("w", Caller.Scope.WRITE, null, null);
    assertThatCode(() -> write.mayDefine(WEBHOOK)).doesNotThrowAnyException();
    assertThatCode(() -> write.mayDefine(EVENTBUS)).doesNotThrowAnyException();
    assertThatCode(() -> Caller.ANONYMOUS.mayDefine(WEBHOOK)).doesNotThrowAnyException();
  }
}
