/**
 * Jobs: definitions, schedules and the policies that govern their runs. Pure domain: no I/O, no clock;
 * every method takes the time it reasons about.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>A {@link io.jobsched.job.Job} that exists is valid: schedules parse, durations are positive where
 *       they must be, enums are known (validation happens at the edge, in {@code api.json.JobCodec}).</li>
 *   <li>{@link io.jobsched.job.FirePlanner} lists every due fire exactly once, across calls: each is RUN or
 *       SKIP with a reason; a long backlog is chunked, never dropped.</li>
 *   <li>Misfire policies: {@code fire_once} runs only the latest missed fire, {@code fire_all} runs missed
 *       fires no older than {@code window}, {@code skip} runs none; the rest are SKIP "misfire".</li>
 * </ul>
 *
 * <p>Defaults (when a field is omitted): namespace {@code default}, name = id, no labels, resource class
 * {@code default}, timeout PT1H, on_timeout fail with grace PT10S, retry max_attempts 1 (initial_delay PT1S,
 * multiplier 2.0, max_delay PT5M, jitter 0.2), priority 500 (0..1000, higher first), overlap allow,
 * misfire fire_once with window PT1H, cron time zone UTC, no notify rules (at most
 * {@link io.jobsched.job.NotifyRule#MAX_RULES}).
 */
package io.jobsched.job;
