package io.jobsched.api.json;

import io.jobsched.store.Notifications.Notification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A run's notifications as {@code GET /api/v1/runs/{id}} shows them: what was owed, to where, and how its
 * delivery stands. A webhook's headers are not shown (they may carry the receiver's credentials).
 */
public final class NotificationJson {
  private NotificationJson() {
  }

  public static JsonArray toJson(List<Notification> notifications) {
    JsonArray out = new JsonArray();
    for (Notification n : notifications) {
      out.add(new JsonObject()
          .put("id", n.id().toString())
          .put("event", n.event().wire())
          .put("target", n.target().name())
          .put("status", n.status())
          .put("attempts", n.attempts())
          .put("last_error", n.lastError())
          .put("sent_at", Instants.format(n.sentAt())));
    }
    return out;
  }
}
