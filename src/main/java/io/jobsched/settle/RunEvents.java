package io.jobsched.settle;

import io.jobsched.run.Run;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.function.Function;

/** Publishes run state changes on the cluster event bus for dashboards and in-cluster listeners. */
public final class RunEvents {
  public static final String ADDRESS = "jobsched.runs.events";
  /** Published (to every node) with a run id: whoever runs it stops it and records CANCELLED. */
  public static final String CANCEL_ADDRESS = "jobsched.runs.cancel";

  private final EventBus bus;
  private final Function<Run, JsonObject> toJson;

  /** {@code toJson} renders a run as API.md's run JSON, the payload every listener expects. */
  public RunEvents(EventBus bus, Function<Run, JsonObject> toJson) {
    this.bus = bus;
    this.toJson = toJson;
  }

  public void cancel(UUID runId) {
    bus.publish(CANCEL_ADDRESS, runId.toString());
  }

  public void changed(Run run) {
    bus.publish(ADDRESS, toJson.apply(run));
  }
}
