/**
 * Workers: claim due runs, execute their tasks, record results.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Never more runs of a resource class at once than its configured capacity.</li>
 *   <li>The sized runs a worker holds never reserve more cpu, memory or GPUs than its {@code worker.resources}:
 *       a claim reserves what is free before it is sent and each run holds its share until its task ends or
 *       it is given up. A sized run that waited {@code reserve_after_ms} and fits the worker's totals is not
 *       overtaken by other sized runs on that worker. A sized shell task runs inside its memory and cpu where
 *       the machine allows it, and a kernel kill at its memory limit ends it FAILED {@code out_of_memory}.</li>
 *   <li>Nothing blocks an event loop: process start, output reading and waits run on a dedicated worker
 *       pool; leases are renewed by their own timer, independent of task progress.</li>
 *   <li>A task runs with its identity (JOBSCHED_JOB_ID, _RUN_ID, _ATTEMPT, _SCHEDULED_FOR; X-Jobsched-Run-Id
 *       etc. as headers for http and eventbus tasks) so it can make itself idempotent: execution is
 *       at-least-once.</li>
 *   <li>A run that outlives its timeout is stopped (SIGTERM to the process tree, SIGKILL after the grace)
 *       and ends TIMED_OUT.</li>
 *   <li>A worker that lost its lease stops the task and drops its result; Postgres' token check would
 *       reject the write anyway. A lease Redis lost (FLUSHALL) while it could not have expired is put back,
 *       so a Redis wipe does not abandon running tasks.</li>
 *   <li>A finished task's lease is kept extended until its result is in Postgres, so a Postgres outage
 *       longer than the lease does not make the reaper run done work again.</li>
 *   <li>A held run reached late (the worker was paused or starved) with less than a heartbeat of lease left
 *       starts only if Redis still holds its lease for this worker (extended first); otherwise it is given
 *       up, since the reaper may already have handed it to another worker.</li>
 *   <li>On shutdown nothing is claimed any more; tasks get {@code drain_ms} to finish, the rest are stopped
 *       and handed back (RUNNING → PENDING, same attempt), so a deploy neither fails nor loses a run.</li>
 *   <li>A run's output is shipped to Redis before its result is recorded, so logs are complete when the
 *       run is seen finished (Elasticsearch then shows them within its refresh interval).</li>
 * </ul>
 */
package io.jobsched.worker;
