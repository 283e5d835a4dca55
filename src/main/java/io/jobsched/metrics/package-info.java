/**
 * What a node counts, for operators ({@code GET /metrics}, Prometheus text) and for the dashboard's overview
 * (per-minute counts shared by the cluster in Redis).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Counting never delays or fails the work it counts: meters are in-memory; the per-minute counts reach
 *       Redis on their own timer, and a failed flush keeps them for the next one.</li>
 *   <li>Every series is prefixed {@code jobsched_} (Vert.x's own HTTP, pool and JVM series included).</li>
 *   <li>Counters are per node (sum them across nodes); gauges read from Redis (queue depth, log stream) show
 *       the cluster's value on every node that samples them (take the max, not the sum).</li>
 * </ul>
 */
package io.jobsched.metrics;
