package io.jobsched.worker;

import io.jobsched.api.json.RunJson;
import io.jobsched.run.Run;
import io.vertx.core.eventbus.EventBus;

/** Publishes run state changes on the cluster event bus for dashboards and in-cluster listeners. */
public final class RunEvents {
  public static final String ADDRESS = "jobsched.runs.events";
  /** Published (to every node) with a run id: whoever runs it stops it and records CANCELLED. */
  public static final String CANCEL_ADDRESS = "jobsched.runs.cancel";

  private final EventBus bus;

  public RunEvents(EventBus bus) {
    this.bus = bus;
  }

  public void cancel(java.util.UUID runId) {
    bus.publish(CANCEL_ADDRESS, runId.toString());
  }

  public void changed(Run run) {
    bus.publish(ADDRESS, RunJson.toJson(run));
  }
}
