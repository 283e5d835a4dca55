/**
 * Ready queues and leases in Redis. Redis is an index of Postgres, never the source of truth: anything
 * lost here is rebuilt by the reaper from the runs table.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Every transition (claim, heartbeat, release, requeue, enqueue) is one Lua script, atomic, touching
 *       only the keys it is given, all in its partition's hash slot ({@code {q<P>}}; on Redis Cluster
 *       {@code {q<P>-<k>}}, spreading the partitions evenly over the masters, see {@link PartitionTags}).</li>
 *   <li>A claim hands out a fencing token that is strictly greater than every earlier token of its
 *       partition, also after Redis lost its data (the counter restarts from Redis' clock); heartbeat, release and requeue act only for the holder of
 *       the current token.</li>
 *   <li>Lease expiry is measured on Redis' clock ({@code TIME}), so a worker's clock skew cannot expire or
 *       prolong a lease.</li>
 *   <li>A Redis restart that drops the script cache is healed transparently (NOSCRIPT → EVAL).</li>
 *   <li>A sized run (cpu, memory or GPUs) is claimed only by a claim whose free amounts cover its needs, in the
 *       same script that decides the fit ({@code claimSizedRuns-6}); a run without recorded needs is never
 *       claimed as if it needed nothing (it is dropped from the queue and re-enqueued by the reaper).</li>
 * </ul>
 */
package io.jobsched.queue;
