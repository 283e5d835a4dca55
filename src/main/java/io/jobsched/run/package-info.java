/**
 * Runs: one attempt of one fire of a job. Pure domain, no I/O.
 *
 * <p>Guarantees this package states and {@code store} enforces: a run's status moves PENDING → RUNNING →
 * terminal (or PENDING → CANCELLED / SKIPPED, or back RUNNING → PENDING when a stopping worker hands it
 * back), each move a SQL update conditional on the status it moves from, so terminal statuses never change;
 * a retry is a new run (attempt + 1, same {@code scheduled_for}) so every attempt keeps its own worker, exit
 * code and logs; a run created by another run's result (retry, timeout handler, after-chain) is keyed by
 * that cause, so each cause creates its follow-ups once. Notifications ({@link io.jobsched.run.Notice}) are
 * owed by a fire's final outcome only ({@link io.jobsched.run.FollowUp#isFinal()}): never by an attempt that
 * is retried, nor by a worker loss that is forgiven.
 */
package io.jobsched.run;
