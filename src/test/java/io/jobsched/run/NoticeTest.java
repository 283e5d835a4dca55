package io.jobsched.run;

import io.jobsched.api.json.JobCodec;
import io.jobsched.job.Job;
import io.jobsched.job.NotifyEvent;
import io.jobsched.job.NotifyTarget;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class NoticeTest {
  private static final String RULES = ",\"notify\":[{\"on\":[\"failure\",\"timeout\"],\"webhook\":{\"url\":\"http://h/f\"}},"
      + "{\"on\":[\"success\"],\"eventbus\":{\"address\":\"ok\"}},{\"on\":[\"failure\"],\"eventbus\":{\"address\":\"pager\"}}]";

  private static Job job(String extra) {
    return JobCodec.parse(new JsonObject("{\"id\":\"j\",\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"}" + extra + "}"), null);
  }

  @Test
  void a_final_outcome_owes_one_notice_per_matching_rule_in_rule_order() {
    assertThat(Notice.owed(job(RULES), RunStatus.FAILED)).containsExactly(
        new Notice(0, NotifyEvent.FAILURE, new NotifyTarget.Webhook("http://h/f", java.util.Map.of())),
        new Notice(2, NotifyEvent.FAILURE, new NotifyTarget.EventBus("pager")));
    assertThat(Notice.owed(job(RULES), RunStatus.SUCCESS)).extracting(Notice::rule).containsExactly(1);
    assertThat(Notice.owed(job(RULES), RunStatus.TIMED_OUT)).extracting(Notice::event).containsExactly(NotifyEvent.TIMEOUT);
  }

  @Test
  void unsubscribed_outcomes_cancels_and_jobs_without_rules_owe_nothing() {
    assertThat(Notice.owed(job(RULES), RunStatus.SKIPPED)).isEmpty();
    assertThat(Notice.owed(job(RULES), RunStatus.CANCELLED)).isEmpty();
    assertThat(Notice.owed(job(""), RunStatus.FAILED)).isEmpty();
  }

  @Test
  void a_retried_attempt_notifies_nothing_and_the_last_one_does() {
    Job job = job(RULES + ",\"retry\":{\"max_attempts\":3,\"initial_delay\":\"PT1S\",\"jitter\":0}");
    FollowUp first = FollowUp.decide(job, 1, RunStatus.FAILED, 0.5);
    assertThat(first.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(first.notices()).isEmpty();
    assertThat(FollowUp.decide(job, 2, RunStatus.FAILED, 0.5).notices()).isEmpty();
    assertThat(FollowUp.decide(job, 3, RunStatus.FAILED, 0.5).notices()).extracting(Notice::rule).containsExactly(0, 2);
    assertThat(FollowUp.decide(job, 1, RunStatus.SUCCESS, 0.5).notices()).extracting(Notice::rule).containsExactly(1);
  }

  @Test
  void a_timeout_notifies_when_it_ends_the_fire_only() {
    String retry = ",\"retry\":{\"max_attempts\":2,\"initial_delay\":\"PT1S\",\"jitter\":0}";
    Job retried = job(RULES + retry + ",\"on_timeout\":{\"action\":\"retry\"}");
    assertThat(FollowUp.decide(retried, 1, RunStatus.TIMED_OUT, 0.5).notices()).isEmpty();
    assertThat(FollowUp.decide(retried, 2, RunStatus.TIMED_OUT, 0.5).notices()).extracting(Notice::rule).containsExactly(0);
    Job handled = job(RULES + retry + ",\"on_timeout\":{\"action\":\"handler\",\"handler_job_id\":\"h\"}");
    FollowUp handler = FollowUp.decide(handled, 1, RunStatus.TIMED_OUT, 0.5);
    assertThat(handler.handlerJobId()).isEqualTo("h");
    assertThat(handler.notices()).extracting(Notice::rule).containsExactly(0);
  }

  @Test
  void a_lost_worker_forgiven_is_not_an_outcome() {
    Job job = job(RULES);
    Run run = new Run(java.util.UUID.randomUUID(), "j", "default", java.time.Instant.EPOCH, 1, Trigger.SCHEDULE,
        RunStatus.RUNNING, null, "w", 1L, "default", "noop", 500, java.time.Instant.EPOCH, null, null, null, null, null,
        null, false, null);
    assertThat(FollowUp.afterWorkerLost(job, run, 0.5).notices()).isEmpty();
    Run lostTooOften = new Run(run.id(), "j", "default", java.time.Instant.EPOCH, 4, Trigger.RETRY, RunStatus.RUNNING,
        null, "w", 1L, "default", "noop", 500, java.time.Instant.EPOCH, null, null, null, null, null,
        java.util.Map.of("workers_lost", FollowUp.MAX_WORKERS_LOST), false, null);
    assertThat(FollowUp.afterWorkerLost(job, lostTooOften, 0.5).notices()).as("then it is the fire's failure")
        .extracting(Notice::rule).containsExactly(0, 2);
  }
}
