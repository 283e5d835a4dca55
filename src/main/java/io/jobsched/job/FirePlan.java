package io.jobsched.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The fires to materialise now, and the job's next fire after them (empty: the schedule is exhausted). */
public record FirePlan(List<PlannedFire> fires, Optional<Instant> nextFireAt) {}
