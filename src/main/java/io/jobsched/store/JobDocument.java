package io.jobsched.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jobsched.job.AfterSchedule;
import io.jobsched.job.AtSchedule;
import io.jobsched.job.CronSchedule;
import io.jobsched.job.EventBusTask;
import io.jobsched.job.EverySchedule;
import io.jobsched.job.HttpTask;
import io.jobsched.job.Job;
import io.jobsched.job.NoopTask;
import io.jobsched.job.NotifyTarget;
import io.jobsched.job.OnceSchedule;
import io.jobsched.job.Schedule;
import io.jobsched.job.ShellTask;
import io.jobsched.job.TaskSpec;

/**
 * The form a job definition is stored in ({@code jobs.spec}): the domain {@link Job} as a JSON document,
 * snake_case, enums by name, durations and instants ISO-8601. It is the store's own form, not the API's:
 * the API maps requests to {@link Job} and back, so either can change without the other. SQL never reads
 * inside it; whatever a query filters on is a column of its own (schedule_type, after_job_id, after_on,
 * task_kind, resource_class, priority).
 */
public final class JobDocument {
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({@JsonSubTypes.Type(value = CronSchedule.class, name = "cron"),
      @JsonSubTypes.Type(value = AtSchedule.class, name = "at"),
      @JsonSubTypes.Type(value = EverySchedule.class, name = "every"),
      @JsonSubTypes.Type(value = OnceSchedule.class, name = "once"),
      @JsonSubTypes.Type(value = AfterSchedule.class, name = "after")})
  private interface ScheduleTypes {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({@JsonSubTypes.Type(value = ShellTask.class, name = "shell"),
      @JsonSubTypes.Type(value = HttpTask.class, name = "http"),
      @JsonSubTypes.Type(value = EventBusTask.class, name = "eventbus"),
      @JsonSubTypes.Type(value = NoopTask.class, name = "noop")})
  private interface TaskTypes {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({@JsonSubTypes.Type(value = NotifyTarget.Webhook.class, name = "webhook"),
      @JsonSubTypes.Type(value = NotifyTarget.EventBus.class, name = "eventbus")})
  private interface NotifyTargetTypes {}

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .addMixIn(Schedule.class, ScheduleTypes.class)
      .addMixIn(TaskSpec.class, TaskTypes.class)
      .addMixIn(NotifyTarget.class, NotifyTargetTypes.class)
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private JobDocument() {
  }

  public static String write(Job job) {
    try {
      return MAPPER.writeValueAsString(job);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot store job " + job.id() + ": " + e.getMessage(), e);
    }
  }

  /** @throws IllegalStateException when the document is not one {@link #write} made (a corrupt row) */
  public static Job read(String id, String document) {
    try {
      return MAPPER.readValue(document, Job.class).withId(id);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("job " + id + " has an unreadable stored definition: " + e.getMessage(), e);
    }
  }
}
