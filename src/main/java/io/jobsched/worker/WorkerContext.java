package io.jobsched.worker;

import io.jobsched.logs.LogShipper;
import io.jobsched.metrics.JobschedMetrics;
import io.jobsched.queue.RunQueue;
import io.jobsched.settle.ResultRecorder;
import io.jobsched.settle.RunEvents;
import io.jobsched.store.JobStore;
import io.jobsched.store.RunStore;
import io.jobsched.store.RunningRunStore;

import java.time.InstantSource;

/** The collaborators every run execution of a worker shares. */
record WorkerContext(String workerId, JobStore jobs, RunStore runs, RunningRunStore running, RunningMarks marks,
                     ResultRecorder recorder, RunQueue queue, LogShipper logs, RunEvents events, TaskRunners runners,
                     InstantSource clock, WorkerRegistry registry, JobschedMetrics metrics) {}
