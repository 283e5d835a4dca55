/**
 * Runs: one attempt of one fire of a job. Pure domain, no I/O.
 *
 * <p>Guarantees this package states and {@code store} enforces: a run's status only moves along
 * {@link io.jobsched.run.RunStatus#canBecome}; terminal statuses never change; a retry is a new run
 * (attempt + 1, same {@code scheduled_for}) so every attempt keeps its own worker, exit code and logs.
 */
package io.jobsched.run;
