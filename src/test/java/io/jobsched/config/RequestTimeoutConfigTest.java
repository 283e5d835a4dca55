package io.jobsched.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code http.request_timeout_ms}: a default, an environment override, and errors that name the key. */
class RequestTimeoutConfigTest {
  private static JsonObject defaults() throws IOException {
    return new JsonObject(Files.readString(Path.of("conf/jobsched.json")));
  }

  @Test
  void the_request_timeout_defaults_to_ten_seconds_and_follows_the_environment() throws IOException {
    assertThat(JobschedConfig.from(defaults()).http().requestTimeoutMs()).isEqualTo(10_000);
    JsonObject merged = ConfigLoader.applyEnv(defaults(), Map.of("JOBSCHED_HTTP_REQUEST_TIMEOUT_MS", "2500"));
    assertThat(JobschedConfig.from(merged).http().requestTimeoutMs()).isEqualTo(2_500);
  }

  @Test
  void a_bad_request_timeout_stops_the_node_naming_the_key() throws IOException {
    JsonObject tooShort = defaults();
    tooShort.getJsonObject("http").put("request_timeout_ms", 5);
    assertThatThrownBy(() -> JobschedConfig.from(tooShort)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.request_timeout_ms").hasMessageContaining("between");
    JsonObject notANumber = defaults();
    notANumber.getJsonObject("http").put("request_timeout_ms", "10s");
    assertThatThrownBy(() -> JobschedConfig.from(notANumber)).hasMessageContaining("http.request_timeout_ms");
    JsonObject missing = defaults();
    missing.getJsonObject("http").remove("request_timeout_ms");
    assertThatThrownBy(() -> JobschedConfig.from(missing)).hasMessageContaining("http.request_timeout_ms");
  }
}
