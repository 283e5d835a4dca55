package io.jobsched.job;

import java.util.Map;

/** Where a notification goes: an HTTP endpoint (POSTed the payload) or an event-bus address (sent a request). */
public sealed interface NotifyTarget {
  /** The URL or the address, as the run's notifications show it. */
  String name();

  /** POST to {@code url}, with {@code headers} added to the request (after the content type, before ours). */
  record Webhook(String url, Map<String, String> headers) implements NotifyTarget {
    public Webhook {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    @Override
    public String name() {
      return url;
    }
  }

  /** A request on the clustered event bus; a reply that is not a failure is a delivery. */
  record EventBus(String address) implements NotifyTarget {
    @Override
    public String name() {
      return address;
    }
  }
}
