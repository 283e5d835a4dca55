package io.jobsched.queue;

/**
 * A run a claim returned: the claim, and how long until the run is due by Redis' clock (0 when due now).
 * A worker holds a run claimed ahead of time on a timer of that length, so its own clock never decides.
 */
public record Claimed(Claim claim, long dueInMs) {}
