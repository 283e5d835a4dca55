/**
 * Job notifications: delivery of the outbox rows a run's final outcome wrote ({@code store.Notifications}).
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>Once per final outcome, durable.</b> The rows are written by the statement that records the
 *       outcome (a result with no retry left, a timeout that ends the fire, a SKIPPED fire), one per matching
 *       rule and never twice (unique run and rule); an attempt that is retried writes none. A committed
 *       outcome's notifications survive any node's crash.</li>
 *   <li><b>At-least-once delivery.</b> A claimed row is leased; a dispatcher that dies mid-send leaves it to
 *       another after the lease. A receiver may therefore see a delivery twice: every attempt carries the
 *       same {@code X-Jobsched-Delivery} id (the row's id) to drop repeats by.</li>
 *   <li><b>Bounded retries.</b> A failed attempt (no 2xx, no reply, a timeout) is tried again after an
 *       exponential, jittered backoff ({@link io.jobsched.notify.RetrySchedule}) until
 *       {@code notify.max_attempts}, then the row is {@code failed} with its last error; both are visible on
 *       the run ({@code GET /api/v1/runs/{id}}) and counted.</li>
 *   <li><b>Owed after archiving too.</b> A row still pending when its run's month moved to the cold tier is
 *       delivered with the run read from there (saying {@code "tier": "cold"}, as the API answers it).</li>
 *   <li><b>Never in the run's way.</b> Delivery happens after the outcome committed, on its own verticle:
 *       a slow or failing receiver cannot delay or change a run's outcome.</li>
 *   <li>With {@code notify.hmac_secret} set, every delivery is signed ({@link io.jobsched.notify.Signature}).</li>
 * </ul>
 */
package io.jobsched.notify;
