package io.jobsched.api;

import io.jobsched.logs.EsLogStore;
import io.jobsched.metrics.JobschedMetrics;
import io.jobsched.metrics.Overview;
import io.jobsched.service.JobService;
import io.jobsched.service.ManualTrigger;
import io.jobsched.service.RunService;
import io.jobsched.worker.WorkerRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;

/** What the API verticle serves from. */
public record ApiServices(Vertx vertx, JobService jobs, RunService runs, ManualTrigger trigger, Pool pg, Redis redis,
                          EsLogStore es, WorkerRegistry workers, JobschedMetrics metrics, Overview overview) {}
