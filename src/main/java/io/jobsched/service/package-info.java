/**
 * Operations on jobs and runs, shared by every interface (REST now, the event bus next), so behaviour
 * cannot differ between them. Failures are {@link io.jobsched.service.ApiException}s carrying the status
 * and error code of API.md.
 *
 * <p>Every change of a job through {@link io.jobsched.service.JobService} (REST or event bus, one job or a
 * batch) records a version with the caller's {@link io.jobsched.service.Caller#actor()} in the change's own
 * transaction; a rollback is a PUT of the restored definition (same rights, same next-fire rule) recorded as
 * change {@code rollback}. {@link io.jobsched.service.JobHistory} reads them back, as namespace-walled as jobs.
 */
package io.jobsched.service;
