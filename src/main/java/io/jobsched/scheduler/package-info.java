/**
 * The scheduler: turns job schedules into runs.
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>One run per fire</b>: runs are inserted with {@code ON CONFLICT DO NOTHING} against the unique
 *       (job_id, scheduled_for, attempt), in the same transaction that advances {@code next_fire_at} of a
 *       job row locked {@code FOR UPDATE SKIP LOCKED}; two schedulers promoting the same shard create one
 *       run.</li>
 *   <li><b>No silent misses</b>: every fire the misfire policy does not run is stored as a SKIPPED run
 *       with a reason.</li>
 *   <li>Fire times are judged on Postgres' clock ({@code now()}), not the node's.</li>
 *   <li>Shard ownership (from cluster membership) only balances load; correctness never depends on it.</li>
 * </ul>
 */
package io.jobsched.scheduler;
