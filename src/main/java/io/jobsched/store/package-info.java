/**
 * Postgres, the source of truth: jobs, runs, migrations and run partitions.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>One run per (job, scheduled_for, attempt, cause): a unique constraint, and inserts use
 *       {@code ON CONFLICT DO NOTHING}. The cause is nil for the schedule's own fires (one run per fire),
 *       the causing run for a follow-up (timeout handler run, chained run; retries keep their lineage's),
 *       the run itself for a manual trigger.</li>
 *   <li>Fenced writes: a run moves PENDING → RUNNING once, under the token of the claim that started it;
 *       its result is recorded only {@code WHERE token = $claim AND status = 'RUNNING'}. Zero rows means
 *       the caller was fenced.</li>
 *   <li>Migrations apply in order, each once, in one transaction under an advisory lock, so concurrent
 *       start-ups are safe; migration files are append-only.</li>
 *   <li>Follow-ups are atomic with the result that causes them: recording a run's result and creating its
 *       retry, its timeout handler's run and the runs of the jobs that run after it is one statement, so a
 *       crash cannot lose one; each is keyed by its cause, so none is created twice and results recorded
 *       in one statement never collide. Handler and chained jobs must share the causing run's
 *       namespace.</li>
 *   <li>A job's definition is stored as a {@link io.jobsched.store.JobDocument}, the store's own form;
 *       queries filter on columns only, never inside the document.</li>
 *   <li>Job versions ({@link io.jobsched.store.JobVersions}): every create, replace, pause, resume, delete and
 *       rollback inserts one immutable {@code job_versions} row in the transaction of the change, after (or
 *       in the statement that takes) the job row's lock, so an acknowledged change has its version and a
 *       failed one none. A job's versions are its {@code jobs.version} numbers: 1, 2, 3... without gaps,
 *       unique by the (job_id, version) key, going on after a delete (a re-created id starts above the
 *       deleted job's last number), so (id, version) names one definition forever. Rows outlive the job.</li>
 *   <li>A run records the job version its fire was planned with ({@code runs.job_version}): the promoter's
 *       and a manual trigger's read of the job, a handler or chained run's job row at the result, a retry its
 *       fire's. Null for runs made before V010.</li>
 *   <li>Notifications ({@link io.jobsched.store.Notifications}) are an outbox written with the outcome that
 *       owes them: the result's statement, the insert of a SKIPPED fire and the overlap skip insert one row per
 *       matching rule in the same statement, unique per (run, rule), so an acknowledged final outcome has its
 *       notifications and a retried attempt none. Statements for outcomes that owe none are the ones they
 *       were (a null array parameter at most).</li>
 *   <li>Every SQL parameter is bound ({@code $n}); nothing user-given is concatenated into SQL.</li>
 * </ul>
 */
package io.jobsched.store;
