package io.jobsched.settle;

import io.jobsched.run.Run;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.function.Function;

/**
 * Publishes run state changes on the cluster event bus for dashboards and in-cluster listeners. A run is
 * published as itself and turned into its run JSON only on its way to a listener (a local one, or over the
 * wire): thousands of runs end per second and most of the time nobody listens, so the JSON is not built
 * for nothing (building it for every run halved a worker's throughput through a spike).
 */
public final class RunEvents {
  public static final String ADDRESS = "jobsched.runs.events";
  /** Published (to every node) with a run id: whoever runs it stops it and records CANCELLED. */
  public static final String CANCEL_ADDRESS = "jobsched.runs.cancel";
  /**
   * Published (to every node) with a job id once a change to the job (replaced, deleted) is committed:
   * workers put back the runs of it they hold for a later instant, so they are read again, under the job's
   * new definition (or cancelled, the job gone), instead of starting with the one read when claimed.
   */
  public static final String JOB_CHANGED_ADDRESS = "jobsched.jobs.changed";

  private final EventBus bus;
  private final DeliveryOptions asRunJson;

  /** {@code toJson} renders a run as API.md's run JSON, the payload every listener receives. */
  public RunEvents(EventBus bus, Function<Run, JsonObject> toJson) {
    this.bus = bus;
    RunJsonCodec codec = new RunJsonCodec(toJson);
    bus.registerCodec(codec);
    this.asRunJson = new DeliveryOptions().setCodecName(codec.name());
  }

  public void cancel(UUID runId) {
    bus.publish(CANCEL_ADDRESS, runId.toString());
  }

  public void jobChanged(String jobId) {
    bus.publish(JOB_CHANGED_ADDRESS, jobId);
  }

  public void changed(Run run) {
    bus.publish(ADDRESS, run, asRunJson);
  }

  /** Run in, run JSON out: locally by transform, across the cluster by the JSON's own wire form. */
  private record RunJsonCodec(Function<Run, JsonObject> toJson) implements MessageCodec<Run, JsonObject> {
    @Override
    public void encodeToWire(Buffer buffer, Run run) {
      Buffer json = toJson.apply(run).toBuffer();
      buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public JsonObject decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      return new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
    }

    @Override
    public JsonObject transform(Run run) {
      return toJson.apply(run);
    }

    @Override
    public String name() {
      return "jobsched.run-json";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
