package io.jobsched.config;

import io.jobsched.job.Needs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code worker.resources}, {@code worker.reserve_after_ms}, {@code worker.enforce_limits}. */
class WorkerResourcesConfigTest {
  private static JsonObject defaults() throws IOException {
    return new JsonObject(Files.readString(Path.of("conf/jobsched.json")));
  }

  @Test
  void totals_default_to_the_machine_and_follow_config_and_environment() throws IOException {
    JobschedConfig.Worker w = JobschedConfig.from(defaults()).worker();
    assertThat(w.resources().cpuMilli()).isEqualTo(Runtime.getRuntime().availableProcessors() * 1000);
    assertThat(w.resources().memoryMb()).isPositive();
    assertThat(w.resources().gpu()).isZero();
    assertThat(w.reserveAfterMs()).isEqualTo(30_000);
    assertThat(w.enforceLimits()).isTrue();
    JsonObject merged = ConfigLoader.applyEnv(defaults(),
        Map.of("JOBSCHED_WORKER_RESOURCES", "{\"cpu\":4.5,\"memory_mb\":8192,\"gpu\":2}"));
    assertThat(JobschedConfig.from(merged).worker().resources()).isEqualTo(new Needs(4500, 8192, 2));
  }

  @Test
  void a_bad_size_stops_the_node_naming_the_key() throws IOException {
    for (String[] c : new String[][] {{"{\"cpu\":-1}", "worker.resources.cpu"},
        {"{\"memory_mb\":\"lots\"}", "worker.resources.memory_mb"}, {"{\"tpu\":1}", "worker.resources.tpu"},
        {"{\"gpu\":1.5}", "worker.resources"}}) {
      JsonObject conf = defaults();
      conf.getJsonObject("worker").put("resources", new JsonObject(c[0]));
      assertThatThrownBy(() -> JobschedConfig.from(conf)).as(c[0]).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith(c[1]);
    }
    JsonObject negative = defaults();
    negative.getJsonObject("worker").put("reserve_after_ms", -1);
    assertThatThrownBy(() -> JobschedConfig.from(negative)).hasMessageContaining("worker.reserve_after_ms");
  }
}
