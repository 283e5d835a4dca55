/**
 * The reaper: heals what crashed workers and a lossy Redis leave behind.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Redis is rebuildable: PENDING runs that Redis lost are re-enqueued from Postgres within one
 *       interval after they settle; claimed runs are never enqueued twice (enqueue skips leased runs).</li>
 *   <li>A lease that expired on Redis' clock is settled from the run's row: a claim that never reached
 *       Postgres is re-queued; a recorded result just drops the lease; a RUNNING attempt whose worker
 *       vanished is ended, conditional on the claim's token, so a late result of that worker is fenced, and
 *       runs again at once (no retry consumed, at most three lost workers per fire).</li>
 *   <li>A RUNNING run that Redis holds no lease for gets one back for a lease period under its Postgres
 *       token: a live worker keeps it by heartbeating, a dead one's expires and is settled as above.</li>
 *   <li>Every action is conditional, so reapers on several nodes never double-apply.</li>
 * </ul>
 */
package io.jobsched.reaper;
