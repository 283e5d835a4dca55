/**
 * Postgres, the source of truth: jobs, runs, migrations and run partitions.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>One run per (job, scheduled_for, attempt): a unique constraint, and inserts use
 *       {@code ON CONFLICT DO NOTHING}.</li>
 *   <li>Fenced writes: a run moves PENDING → RUNNING once, under the token of the claim that started it;
 *       its result is recorded only {@code WHERE token = $claim AND status = 'RUNNING'}. Zero rows means
 *       the caller was fenced.</li>
 *   <li>Migrations apply in order, each once, in one transaction under an advisory lock, so concurrent
 *       start-ups are safe; migration files are append-only.</li>
 *   <li>After-chains are atomic with the result that triggers them: recording a run's result and creating
 *       the runs of the jobs that run after it is one statement, so a crash cannot lose a chained fire,
 *       and a chained run's scheduled_for is the upstream's finish time, so it is never created twice.</li>
 *   <li>Every SQL parameter is bound ({@code $n}); nothing user-given is concatenated into SQL.</li>
 * </ul>
 */
package io.jobsched.store;
