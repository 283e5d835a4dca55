package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Priority holds under a backlog: with thousands of low-priority runs due and a worker that runs two at a
 * time, a high-priority run that becomes due later starts next, not after the backlog. Counted in Postgres.
 */
class PriorityIT {
  private static final int BACKLOG = 5000;

  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("priority", conf -> conf.getJsonObject("worker")
      .put("capacity", new JsonObject().put("default", 2)));

  private static RunRowsFixture rows;

  @BeforeAll
  static void connect() {
    rows = new RunRowsFixture(NODE.get());
  }

  @AfterAll
  static void close() throws Exception {
    rows.close();
  }

  @Test
  void a_high_priority_run_due_later_starts_before_a_low_priority_backlog_drains() throws Exception {
    Instant now = Instant.now();
    for (int first = 0; first < BACKLOG; first += 1000) {
      JsonArray jobs = new JsonArray();
      for (int i = first; i < first + 1000; i++) {
        jobs.add(new JsonObject().put("id", "low-" + i).put("priority", 0)
            .put("schedule", new JsonObject().put("type", "at").put("at", now.toString()))
            .put("task", new JsonObject().put("type", "noop").put("duration", "PT0.05S")));
      }
      assertThat(NODE.get().post("/api/v1/jobs/batch", new JsonObject().put("jobs", jobs).encode()).status()).isEqualTo(201);
    }
    // the backlog is due and draining, two at a time
    await().atMost(Duration.ofSeconds(60)).until(() -> rows.count("SELECT count(*) FROM runs WHERE job_id LIKE 'low-%' "
        + "AND status = 'SUCCESS'") >= 10);
    assertThat(NODE.get().post("/api/v1/jobs", new JsonObject().put("id", "urgent").put("priority", 1000)
        .put("schedule", new JsonObject().put("type", "once")).put("task", new JsonObject().put("type", "noop"))
        .encode()).status()).isEqualTo(201);

    await().atMost(Duration.ofSeconds(60)).until(() -> rows.count("SELECT count(*) FROM runs WHERE job_id = 'urgent' "
        + "AND status = 'SUCCESS'") == 1);
    long startedBefore = rows.count("SELECT count(*) FROM runs r, runs u WHERE u.job_id = 'urgent' "
        + "AND r.job_id LIKE 'low-%' AND r.started_at IS NOT NULL AND r.started_at < u.started_at");
    long startedAfter = rows.count("SELECT count(*) FROM runs r, runs u WHERE u.job_id = 'urgent' "
        + "AND r.job_id LIKE 'low-%' AND (r.started_at IS NULL OR r.started_at > u.started_at)");
    assertThat(startedBefore + startedAfter).isEqualTo(BACKLOG);
    assertThat(startedAfter).as("low-priority runs that started after the urgent one (of %d)", BACKLOG)
        .isGreaterThan(BACKLOG * 9L / 10);
  }
}
