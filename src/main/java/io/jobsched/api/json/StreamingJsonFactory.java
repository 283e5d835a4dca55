package io.jobsched.api.json;

import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Vert.x's JSON (every {@code JsonObject} encoded or decoded in the node) through Jackson's streaming codec.
 * With jackson-databind on the class path (the Elasticsearch client needs it) Vert.x picks its databind codec,
 * which builds a serializer provider per value: a fifth of the node's time creating jobs went to encoding their
 * JSON. The node encodes only JSON types (maps, lists, strings, numbers, booleans, instants, bytes), never beans,
 * which the streaming codec covers. Registered in {@code META-INF/services}; a lower order wins.
 */
public final class StreamingJsonFactory implements JsonFactory {
  private static final JsonCodec CODEC = new JacksonCodec();

  @Override
  public int order() {
    return 0;
  }

  @Override
  public JsonCodec codec() {
    return CODEC;
  }
}
