package io.jobsched.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifyConfigTest {
  private static JsonObject defaults() throws IOException {
    return new JsonObject(Files.readString(Path.of("conf/jobsched.json")));
  }

  @Test
  void the_defaults_deliver_unsigned_with_bounded_retries() throws IOException {
    JobschedConfig.Notify n = JobschedConfig.from(defaults()).notifications();
    assertThat(n.hmacSecret()).isEmpty();
    assertThat(n.maxAttempts()).isEqualTo(10);
    assertThat(n.backoffMs()).isEqualTo(1000);
    assertThat(n.maxBackoffMs()).isEqualTo(600_000);
  }

  @Test
  void the_secret_comes_from_the_environment_and_is_never_printed() throws IOException {
    JsonObject merged = ConfigLoader.applyEnv(defaults(), Map.of("JOBSCHED_NOTIFY_HMAC_SECRET", "s3cret-value",
        "JOBSCHED_NOTIFY_MAX_ATTEMPTS", "3"));
    JobschedConfig cfg = JobschedConfig.from(merged);
    assertThat(cfg.notifications().hmacSecret()).isEqualTo("s3cret-value");
    assertThat(cfg.notifications().maxAttempts()).isEqualTo(3);
    assertThat(cfg.toString()).doesNotContain("s3cret-value");
  }

  @Test
  void bad_values_stop_the_node_naming_the_key() throws IOException {
    JsonObject zero = defaults();
    zero.getJsonObject("notify").put("max_attempts", 0);
    assertThatThrownBy(() -> JobschedConfig.from(zero)).hasMessageStartingWith("notify.max_attempts");
    JsonObject inverted = defaults();
    inverted.getJsonObject("notify").put("backoff_ms", 5000).put("max_backoff_ms", 1000);
    assertThatThrownBy(() -> JobschedConfig.from(inverted)).hasMessageStartingWith("notify.max_backoff_ms");
    JsonObject unknown = defaults();
    unknown.getJsonObject("notify").put("secret", "x");
    assertThatThrownBy(() -> JobschedConfig.from(unknown)).hasMessageStartingWith("notify.secret");
    JsonObject missing = defaults();
    missing.remove("notify");
    assertThatThrownBy(() -> JobschedConfig.from(missing)).hasMessageStartingWith("notify");
  }
}
