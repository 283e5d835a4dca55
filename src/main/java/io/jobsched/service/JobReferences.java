package io.jobsched.service;

import io.jobsched.job.AfterSchedule;
import io.jobsched.job.FieldError;
import io.jobsched.job.Job;
import io.jobsched.job.TimeoutPolicy;
import io.jobsched.store.JobStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a job definition may name of other jobs, checked inside the transaction that writes it: the job it
 * runs after and its timeout handler exist in its own namespace, and after-jobs form no cycle. {@code numbered}
 * (a batch): errors name the job's place in it ({@code jobs[3].schedule.job_id}).
 */
final class JobReferences {
  private final JobStore jobs;

  JobReferences(JobStore jobs) {
    this.jobs = jobs;
  }

  /**
   * The jobs a job names must exist in its own namespace: the job it runs after and its timeout handler,
   * stored already or defined in the same batch. A job elsewhere is as good as missing, whether or not the
   * caller could see it, so namespaces never learn of each other's jobs and a run never fires across the wall.
   */
  Future<Void> check(SqlClient conn, List<Job> batch, boolean numbered) {
    Map<String, String> namespaces = new HashMap<>();
    Set<String> named = new HashSet<>();
    for (Job job : batch) {
      namespaces.put(job.id(), job.namespace());
      references(job).forEach((field, id) -> named.add(id));
    }
    named.removeAll(namespaces.keySet());
    Future<Map<String, String>> stored = named.isEmpty() ? Future.succeededFuture(Map.of())
        : jobs.namespacesOf(conn, named);
    return stored.compose(found -> {
      namespaces.putAll(found);
      for (int i = 0; i < batch.size(); i++) {
        Job job = batch.get(i);
        String prefix = numbered ? "jobs[" + i + "]." : "";
        for (Map.Entry<String, String> ref : references(job).entrySet()) {
          boolean handler = ref.getKey().startsWith("on_timeout");
          if (handler && ref.getValue().equals(job.id())) {
            return Future.failedFuture(ApiException.invalid("invalid_job", 422, List.of(new FieldError(
                prefix + ref.getKey(), "a job cannot be its own timeout handler"))));
          }
          if (!job.namespace().equals(namespaces.get(ref.getValue()))) {
            return Future.failedFuture(ApiException.invalid(handler ? "unknown_handler" : "unknown_dependency", 422,
                List.of(new FieldError(prefix + ref.getKey(), "no job " + ref.getValue() + " in namespace "
                    + job.namespace()))));
          }
        }
      }
      return Future.<Void>succeededFuture();
    });
  }

  /** The jobs {@code job} names, by the field naming them. */
  private static Map<String, String> references(Job job) {
    Map<String, String> refs = new LinkedHashMap<>();
    if (job.schedule() instanceof AfterSchedule a) {
      refs.put("schedule.job_id", a.jobId());
    }
    if (job.onTimeout().action() == TimeoutPolicy.Action.HANDLER) {
      refs.put("on_timeout.handler_job_id", job.onTimeout().handlerJobId());
    }
    return refs;
  }

  /** An after-job must not close a cycle of after-jobs (walked in the stored table, this batch included). */
  Future<Void> checkCycles(SqlClient conn, List<Job> batch, boolean numbered) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < batch.size(); i++) {
      Job job = batch.get(i);
      String field = (numbered ? "jobs[" + i + "]." : "") + "schedule.job_id";
      if (job.schedule() instanceof AfterSchedule a) {
        chain = chain.compose(v -> jobs.wouldCloseCycle(conn, a.jobId(), job.id()))
            .compose(cycle -> cycle ? Future.failedFuture(ApiException.invalid("dependency_cycle", 422,
                List.of(new FieldError(field, "job " + a.jobId() + " already runs after " + job.id()
                    + "; this would form a cycle")))) : Future.<Void>succeededFuture());
      }
    }
    return chain;
  }
}
