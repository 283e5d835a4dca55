package io.jobsched.run;

import io.jobsched.api.json.JobCodec;
import io.jobsched.job.Job;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class FollowUpTest {
  private static Job job(String extra) {
    return JobCodec.parse(new JsonObject("{\"id\":\"j\",\"schedule\":{\"type\":\"once\"},\"task\":{\"type\":\"noop\"}" + extra + "}"), null);
  }

  private static final String THREE_TRIES = ",\"retry\":{\"max_attempts\":3,\"initial_delay\":\"PT1S\",\"multiplier\":2.0,\"jitter\":0}";

  @Test
  void a_failure_is_retried_with_growing_backoff_until_attempts_run_out() {
    Job job = job(THREE_TRIES);
    assertThat(FollowUp.decide(job, 1, RunStatus.FAILED, 0.5).retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(FollowUp.decide(job, 2, RunStatus.FAILED, 0.5).retryAfter()).isEqualTo(Duration.ofSeconds(2));
    FollowUp last = FollowUp.decide(job, 3, RunStatus.FAILED, 0.5);
    assertThat(last).isEqualTo(FollowUp.NONE);
    assertThat(last.isFinal()).isTrue();
  }

  @Test
  void success_and_cancel_lead_nowhere() {
    assertThat(FollowUp.decide(job(THREE_TRIES), 1, RunStatus.SUCCESS, 0.5)).isEqualTo(FollowUp.NONE);
    assertThat(FollowUp.decide(job(THREE_TRIES), 1, RunStatus.CANCELLED, 0.5)).isEqualTo(FollowUp.NONE);
  }

  @Test
  void a_timeout_follows_on_timeout() {
    assertThat(FollowUp.decide(job(THREE_TRIES + ",\"on_timeout\":{\"action\":\"fail\"}"), 1, RunStatus.TIMED_OUT, 0.5))
        .isEqualTo(FollowUp.NONE);
    assertThat(FollowUp.decide(job(THREE_TRIES + ",\"on_timeout\":{\"action\":\"retry\"}"), 1, RunStatus.TIMED_OUT, 0.5)
        .retryAfter()).isEqualTo(Duration.ofSeconds(1));
    FollowUp handler = FollowUp.decide(job(THREE_TRIES + ",\"on_timeout\":{\"action\":\"handler\",\"handler_job_id\":\"h\"}"),
        1, RunStatus.TIMED_OUT, 0.5);
    assertThat(handler).isEqualTo(new FollowUp(null, "h"));
  }

  private static Run attempt(int attempt, int workersLost) {
    java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
    return new Run(java.util.UUID.randomUUID(), "j", "default", t, attempt, Trigger.RETRY, RunStatus.RUNNING, null,
        "w", 1L, "default", "noop", 500, t, t, t, null, null, null,
        workersLost == 0 ? null : java.util.Map.of("workers_lost", workersLost), false);
  }

  @Test
  void a_lost_worker_reruns_the_attempt_at_once_without_consuming_a_retry_three_times_per_fire() {
    Job noRetry = job("");
    assertThat(FollowUp.afterWorkerLost(noRetry, attempt(1, 0), 0.5).retryAfter()).isEqualTo(Duration.ZERO);
    assertThat(FollowUp.afterWorkerLost(noRetry, attempt(3, 2), 0.5).retryAfter()).isEqualTo(Duration.ZERO);
    assertThat(FollowUp.afterWorkerLost(noRetry, attempt(4, 3), 0.5)).as("the fourth loss is a failure").isEqualTo(FollowUp.NONE);
    // with retries left, the fourth loss is retried by the policy, counting only attempts that were not lost
    assertThat(FollowUp.afterWorkerLost(job(THREE_TRIES), attempt(4, 3), 0.5).retryAfter()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void attempts_lost_to_dead_workers_do_not_count_against_the_retry_policy() {
    Job job = job(THREE_TRIES);
    assertThat(FollowUp.decide(job, attempt(3, 2), RunStatus.FAILED, 0.5).retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(FollowUp.decide(job, attempt(5, 2), RunStatus.FAILED, 0.5)).isEqualTo(FollowUp.NONE);
  }

  @Test
  void the_last_failed_attempt_of_a_retried_job_says_retries_were_exhausted() {
    Job job = job(THREE_TRIES);
    assertThat(FollowUp.decide(job, 2, RunStatus.FAILED, 0.5).reasonFor(job, RunStatus.FAILED, null)).isNull();
    assertThat(FollowUp.decide(job, 3, RunStatus.FAILED, 0.5).reasonFor(job, RunStatus.FAILED, null)).isEqualTo("retries_exhausted");
    assertThat(FollowUp.decide(job(""), 1, RunStatus.FAILED, 0.5).reasonFor(job(""), RunStatus.FAILED, null))
        .as("a job without retries just failed").isNull();
    assertThat(FollowUp.decide(job, 3, RunStatus.TIMED_OUT, 0.5).reasonFor(job, RunStatus.TIMED_OUT, "timeout")).isEqualTo("timeout");
  }

  @Test
  void a_task_that_kills_every_worker_ends_after_three_forgiven_losses_and_the_policys_attempts() {
    Job job = job(THREE_TRIES);
    int attempt = 1;
    int lost = 0;
    FollowUp next = FollowUp.afterWorkerLost(job, attempt(attempt, lost), 0.5);
    while (!next.isFinal()) {
      assertThat(attempt).as("attempts of one fire").isLessThan(20);
      attempt++;
      lost = next.workersLost();
      next = FollowUp.afterWorkerLost(job, attempt(attempt, lost), 0.5);
    }
    assertThat(attempt).as("3 losses forgiven, then the policy's 3 attempts").isEqualTo(6);
    assertThat(lost).isEqualTo(3);
  }
}
