package io.jobsched.logs;

import io.vertx.redis.client.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Decodes XREADGROUP replies of the log stream into entry ids and lines. */
final class StreamEntries {
  record Entry(String id, LogLine line) {}

  private StreamEntries() {
  }

  /** {@code reply} is [[stream, [[id, [field, value, ...]], ...]]] or null when nothing was read. */
  static List<Entry> decode(Response reply) {
    List<Entry> out = new ArrayList<>();
    if (reply == null) {
      return out;
    }
    for (Response stream : reply) {
      Response entries = stream.size() > 1 ? stream.get(1) : null;
      if (entries == null) {
        continue;
      }
      for (Response entry : entries) {
        String id = entry.get(0).toString();
        Response fields = entry.get(1);
        if (fields == null) {
          out.add(new Entry(id, null)); // trimmed away while pending
          continue;
        }
        String run = null, job = null, namespace = null, streamName = null, text = null;
        long seq = 0, ts = 0;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
          String value = fields.get(i + 1).toString();
          switch (fields.get(i).toString()) {
            case "run" -> run = value;
            case "job" -> job = value;
            case "ns" -> namespace = value;
            case "stream" -> streamName = value;
            case "seq" -> seq = Long.parseLong(value);
            case "ts" -> ts = Long.parseLong(value);
            case "line" -> text = value;
            default -> { }
          }
        }
        out.add(new Entry(id, new LogLine(UUID.fromString(run), job, namespace, streamName, seq, Instant.ofEpochMilli(ts), text)));
      }
    }
    return out;
  }
}
