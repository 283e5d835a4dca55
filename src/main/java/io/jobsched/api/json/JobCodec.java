package io.jobsched.api.json;

import io.jobsched.job.AfterSchedule;
import io.jobsched.job.AtSchedule;
import io.jobsched.job.CronSchedule;
import io.jobsched.job.EventBusTask;
import io.jobsched.job.EverySchedule;
import io.jobsched.job.HttpTask;
import io.jobsched.job.Job;
import io.jobsched.job.JobValidationException;
import io.jobsched.job.MisfirePolicy;
import io.jobsched.job.Needs;
import io.jobsched.job.NoopTask;
import io.jobsched.job.NotifyRule;
import io.jobsched.job.OnceSchedule;
import io.jobsched.job.OverlapPolicy;
import io.jobsched.job.RetryPolicy;
import io.jobsched.job.Schedule;
import io.jobsched.job.ShellTask;
import io.jobsched.job.TaskSpec;
import io.jobsched.job.TimeoutPolicy;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Job JSON (API.md) ↔ {@link Job}. Parsing is strict: unknown fields, wrong types, NUL characters and
 * out-of-range values are all reported with their field path; defaults are those in {@code job}'s
 * package documentation.
 */
public final class JobCodec {
  private static final Set<String> TOP = Set.of("id", "namespace", "name", "labels", "schedule", "task", "resources",
      "timeout", "on_timeout", "retry", "priority", "overlap", "misfire", "notify");
  private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9._/-]{1,63}");
  private static final Duration ZERO = Duration.ZERO;
  private static final Duration MIN_POSITIVE = Duration.ofMillis(1);

  private JobCodec() {
  }

  public static Job parse(JsonObject body, String pathId) {
    JsonFields f = new JsonFields();
    f.onlyKnown(body, "", TOP);
    String id = f.id(body, "id", "", false);
    if (pathId != null && id != null && !id.equals(pathId)) {
      f.error("id", "does not match the id in the URL");
    }
    String namespace = f.id(body, "namespace", "", false);
    String name = f.string(body, "name", "", "", 256);
    var labels = f.stringMap(body, "labels", "", 64, LABEL_KEY, 256);
    JsonObject scheduleJson = f.object(body, "schedule", "", true);
    Schedule schedule = scheduleJson == null ? null : ScheduleCodec.parse(scheduleJson, f);
    JsonObject taskJson = f.object(body, "task", "", true);
    TaskSpec task = taskJson == null ? null : TaskCodec.parse(taskJson, f);
    JsonObject resources = orEmpty(f.object(body, "resources", "", false));
    f.onlyKnown(resources, "resources", Set.of("class", "cpu", "memory_mb", "gpu"));
    String resourceClass = f.id(resources, "class", "resources", false);
    Needs needs = ResourcesCodec.needs(resources, f);
    Duration timeout = f.duration(body, "timeout", "", Duration.ofHours(1), MIN_POSITIVE, Duration.ofDays(7));
    TimeoutPolicy onTimeout = timeoutPolicy(orEmpty(f.object(body, "on_timeout", "", false)), f);
    RetryPolicy retry = retryPolicy(orEmpty(f.object(body, "retry", "", false)), f);
    Integer priority = f.integer(body, "priority", "", 500, 0, 1000);
    OverlapPolicy overlap = f.enumValue(body, "overlap", "", OverlapPolicy.class, OverlapPolicy.ALLOW);
    MisfirePolicy misfire = misfirePolicy(orEmpty(f.object(body, "misfire", "", false)), f);
    List<NotifyRule> notify = NotifyCodec.parse(body, f);
    String effectiveId = id != null ? id : pathId;
    if (schedule instanceof AfterSchedule after && after.jobId().equals(effectiveId)) {
      f.error("schedule.job_id", "a job cannot run after itself");
    }
    if (!f.errors().isEmpty()) {
      // well-formed but unsatisfiable is 422; anything malformed makes the whole body a 400
      boolean onlyNeverFires = f.errors().stream().allMatch(e -> ScheduleCodec.NEVER_FIRES.equals(e.message()));
      throw onlyNeverFires ? new JobValidationException("cron_never_fires", 422, f.errors())
          : new JobValidationException("invalid_job", 400, f.errors());
    }
    return new Job(effectiveId, namespace == null ? "default" : namespace, name, labels, schedule, task,
        resourceClass == null ? "default" : resourceClass, timeout, onTimeout, retry, priority, overlap, misfire, needs,
        notify);
  }

  private static TimeoutPolicy timeoutPolicy(JsonObject o, JsonFields f) {
    f.onlyKnown(o, "on_timeout", Set.of("action", "handler_job_id", "grace"));
    TimeoutPolicy.Action action = f.enumValue(o, "action", "on_timeout", TimeoutPolicy.Action.class,
        TimeoutPolicy.Action.FAIL);
    String handler = f.id(o, "handler_job_id", "on_timeout", false);
    if (action == TimeoutPolicy.Action.HANDLER && handler == null && o.getValue("handler_job_id") == null) {
      f.error("on_timeout.handler_job_id", "required when action is handler");
    }
    if (action != null && action != TimeoutPolicy.Action.HANDLER && handler != null) {
      f.error("on_timeout.handler_job_id", "only allowed when action is handler");
    }
    Duration grace = f.duration(o, "grace", "on_timeout", Duration.ofSeconds(10), ZERO, Duration.ofHours(1));
    return new TimeoutPolicy(action, handler, grace);
  }

  private static RetryPolicy retryPolicy(JsonObject o, JsonFields f) {
    f.onlyKnown(o, "retry", Set.of("max_attempts", "initial_delay", "multiplier", "max_delay", "jitter"));
    Integer max = f.integer(o, "max_attempts", "retry", 1, 1, 100);
    Duration initial = f.duration(o, "initial_delay", "retry", Duration.ofSeconds(1), MIN_POSITIVE, Duration.ofDays(1));
    Double multiplier = f.number(o, "multiplier", "retry", 2.0, 1.0, 10.0);
    Duration maxDelay = f.duration(o, "max_delay", "retry", Duration.ofMinutes(5), MIN_POSITIVE, Duration.ofDays(1));
    Double jitter = f.number(o, "jitter", "retry", 0.2, 0.0, 1.0);
    return new RetryPolicy(max == null ? 1 : max, initial, multiplier == null ? 2.0 : multiplier, maxDelay,
        jitter == null ? 0.2 : jitter);
  }

  private static MisfirePolicy misfirePolicy(JsonObject o, JsonFields f) {
    f.onlyKnown(o, "misfire", Set.of("policy", "window"));
    MisfirePolicy.Kind kind = f.enumValue(o, "policy", "misfire", MisfirePolicy.Kind.class, MisfirePolicy.Kind.FIRE_ONCE);
    Duration window = f.duration(o, "window", "misfire", Duration.ofHours(1), ZERO, Duration.ofDays(366));
    return new MisfirePolicy(kind, window);
  }

  private static JsonObject orEmpty(JsonObject o) {
    return o == null ? new JsonObject() : o;
  }

  public static JsonObject toJson(Job job) {
    TimeoutPolicy t = job.onTimeout();
    RetryPolicy r = job.retry();
    return new JsonObject()
        .put("id", job.id())
        .put("namespace", job.namespace())
        .put("name", job.name())
        .put("labels", new JsonObject(new java.util.LinkedHashMap<>(job.labels())))
        .put("schedule", ScheduleCodec.toJson(job.schedule()))
        .put("task", TaskCodec.toJson(job.task()))
        .put("resources", ResourcesCodec.toJson(job.resourceClass(), job.needs()))
        .put("timeout", job.timeout().toString())
        .put("on_timeout", new JsonObject().put("action", t.action().name().toLowerCase())
            .put("handler_job_id", t.handlerJobId()).put("grace", t.grace().toString()))
        .put("retry", new JsonObject().put("max_attempts", r.maxAttempts()).put("initial_delay", r.initialDelay().toString())
            .put("multiplier", r.multiplier()).put("max_delay", r.maxDelay().toString()).put("jitter", r.jitter()))
        .put("priority", job.priority())
        .put("overlap", job.overlap().name().toLowerCase())
        .put("misfire", new JsonObject().put("policy", job.misfire().policy().name().toLowerCase())
            .put("window", job.misfire().window().toString()))
        .put("notify", NotifyCodec.toJson(job.notifyRules()));
  }
}
