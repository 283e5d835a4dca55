package io.jobsched.queue;

import java.util.UUID;

/** A run popped from a ready queue by one worker, with the fencing token of that claim. */
public record Claim(UUID runId, long token, int partition) {}
