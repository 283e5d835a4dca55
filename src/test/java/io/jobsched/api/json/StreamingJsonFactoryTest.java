package io.jobsched.api.json;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StreamingJsonFactoryTest {
  @Test
  void vertx_json_goes_through_the_streaming_codec_and_writes_what_databind_wrote() {
    assertThat(Json.CODEC).isNotInstanceOf(DatabindCodec.class);
    JsonObject value = new JsonObject().put("s", "caf\u00e9 \"q\"").put("i", 1).put("l", 1L << 40).put("d", 1.5)
        .put("b", true).put("n", (Object) null).put("t", Instant.parse("2026-12-01T20:00:00.123Z"))
        .put("bytes", new byte[] {1, 2}).put("m", Map.of("k", List.of(1, "x")))
        .put("a", new JsonArray().add(new JsonObject().put("z", 0)));
    assertThat(value.encode()).isEqualTo(new DatabindCodec().toString(value));
    assertThat(new JsonObject(value.encode()).encode()).isEqualTo(value.encode());
  }
}
