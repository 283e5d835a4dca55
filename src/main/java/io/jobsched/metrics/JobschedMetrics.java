package io.jobsched.metrics;

import io.jobsched.run.RunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's own meters, named once here so the code that counts says what happened, not how it is exported.
 * Thread-safe: counted from event loops and worker threads alike.
 */
public final class JobschedMetrics {
  private static final String PREFIX = "jobsched.";

  private final MeterRegistry registry;
  private final MinuteCounts minutes;
  private final Counter started;
  private final Timer lateness;
  private final Map<String, Counter> finished = new ConcurrentHashMap<>();
  private final Counter leaseExpiries;
  private final Map<String, Counter> reaperActions = new ConcurrentHashMap<>();
  private final Counter linesShipped;
  private final Counter linesIndexed;
  private final Counter linesDropped;
  private final Counter linesReplayed;
  private final Counter notificationsSent;
  private final Counter notificationsFailed;
  private final Counter notificationAttemptsFailed;
  private final AtomicLong promotionLagMs = new AtomicLong();
  private final Map<Tags, AtomicLong> gauges = new ConcurrentHashMap<>();

  public JobschedMetrics(MeterRegistry registry, InstantSource clock) {
    this.registry = registry;
    this.minutes = new MinuteCounts(clock);
    this.started = Counter.builder("jobsched.runs.started").description("Attempts whose task started").register(registry);
    this.lateness = Timer.builder("jobsched.run.start.lateness")
        .description("How late attempts started after they were due")
        .serviceLevelObjectives(LatenessBuckets.BOUNDS_MS.stream().map(Duration::ofMillis).toArray(Duration[]::new))
        .register(registry);
    this.leaseExpiries = Counter.builder("jobsched.lease.expiries")
        .description("Claims whose lease expired before their worker settled them").register(registry);
    this.linesShipped = Counter.builder("jobsched.log.lines.shipped")
        .description("Task output lines sent to the Redis log stream").register(registry);
    this.linesIndexed = Counter.builder("jobsched.log.lines.indexed")
        .description("Log lines Elasticsearch accepted").register(registry);
    this.linesDropped = Counter.builder("jobsched.log.lines.dropped")
        .description("Log lines cut from the Redis stream by its bound before they were indexed").register(registry);
    this.linesReplayed = Counter.builder("jobsched.log.lines.replayed")
        .description("Log lines sent to the Redis log stream again because Redis lost its data").register(registry);
    this.notificationsSent = Counter.builder("jobsched.notifications.sent")
        .description("Job notifications delivered (2xx from the webhook, or an event-bus reply)").register(registry);
    this.notificationsFailed = Counter.builder("jobsched.notifications.failed")
        .description("Job notifications given up after notify.max_attempts failed attempts").register(registry);
    this.notificationAttemptsFailed = Counter.builder("jobsched.notification.attempts.failed")
        .description("Delivery attempts of job notifications that failed (each is retried until the bound)")
        .register(registry);
    // registered up front so each series exists (at 0) before its first event: rate() needs a start
    for (String action : List.of("reenqueued", "lease_restored", "released", "requeued", "settled")) {
      reaperAction(action, 0);
    }
    for (RunStatus status : RunStatus.values()) {
      if (status.isTerminal()) {
        finishedCounter(status.name());
      }
    }
    Gauge.builder("jobsched.promotion.lag", promotionLagMs, v -> v.get() / 1000.0).baseUnit("seconds")
        .description("How far past due the oldest fire of the last promotion pass was").register(registry);
  }

  public void notificationSent() {
    notificationsSent.increment();
  }

  public void notificationFailed() {
    notificationsFailed.increment();
  }

  public void notificationAttemptFailed() {
    notificationAttemptsFailed.increment();
  }

  /** Meters in a registry that keeps them in memory only: for tests and tools that construct the parts. */
  public static JobschedMetrics inMemory() {
    return new JobschedMetrics(new SimpleMeterRegistry(), InstantSource.system());
  }

  /** Names every meter Vert.x or the JVM binders register {@code jobsched_…} too; set before anything registers. */
  public static void prefixAll(MeterRegistry registry) {
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().startsWith(PREFIX) ? id : id.withName(PREFIX + id.getName());
      }
    });
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Per-minute counts waiting to be added to the cluster's (see {@link MinuteStatsFlusher}). */
  public MinuteCounts minutes() {
    return minutes;
  }

  public void runStarted(long latenessMs) {
    started.increment();
    lateness.record(Math.max(0, latenessMs), TimeUnit.MILLISECONDS);
    minutes.started(latenessMs);
  }

  public void runFinished(String status) {
    finishedCounter(status).increment();
    minutes.finished(status);
  }

  private Counter finishedCounter(String status) {
    return finished.computeIfAbsent(status, s -> Counter.builder("jobsched.runs.finished").tag("status", s)
        .description("Attempts recorded, by the status the attempt ended with").register(registry));
  }

  public void leaseExpired() {
    leaseExpiries.increment();
  }

  /** {@code action}: what the reaper did (requeued, settled, released, reenqueued). */
  public void reaperAction(String action, int n) {
    reaperActions.computeIfAbsent(action, a -> Counter.builder("jobsched.reaper.actions").tag("action", a)
        .description("Repairs the reaper made").register(registry)).increment(n);
  }

  public void logLinesShipped(int n) {
    linesShipped.increment(n);
  }

  public void logLinesIndexed(int n) {
    linesIndexed.increment(n);
  }

  public void logLinesDropped(long n) {
    linesDropped.increment(n);
  }

  public void logLinesReplayed(long n) {
    linesReplayed.increment(n);
  }

  public void promotionLag(Duration lag) {
    promotionLagMs.set(Math.max(0, lag.toMillis()));
  }

  /** Sets a sampled gauge, registering it the first time its name and tags are seen. */
  public void gauge(String name, String description, Tags tags, double value) {
    gauges.computeIfAbsent(Tags.of("__name", name).and(tags), key -> {
      AtomicLong bits = new AtomicLong(Double.doubleToLongBits(0));
      Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get())).tags(tags).description(description)
          .register(registry);
      return bits;
    }).set(Double.doubleToLongBits(value));
  }
}
