package io.jobsched.worker;

import io.jobsched.logs.LogShipper;
import io.jobsched.queue.RunQueue;
import io.jobsched.store.RunStore;
import io.jobsched.store.RunningRunStore;

import java.time.InstantSource;

/** The collaborators every run execution of a worker shares. */
record WorkerContext(RunStore runs, RunningRunStore running, ResultRecorder recorder, RunQueue queue, LogShipper logs, RunEvents events, TaskRunners runners,
                     InstantSource clock) {}
