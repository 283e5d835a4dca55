package io.jobsched.store;

import io.jobsched.job.Job;
import io.jobsched.job.JobChange;

import java.time.Instant;
import java.util.List;

/**
 * One recorded version of a job: the definition after the change (a delete keeps the last one), whether the
 * job was paused, what changed and who changed it when. {@code restoredFrom} is the version a rollback
 * restored (null otherwise).
 */
public record JobVersion(String jobId, long version, String namespace, JobChange change, Job spec, boolean paused,
                         List<String> changedFields, String changedBy, Instant changedAt, Long restoredFrom) {}
