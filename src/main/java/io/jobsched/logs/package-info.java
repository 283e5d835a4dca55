/**
 * Task output: workers append lines to a bounded Redis stream; the indexer moves them into daily
 * Elasticsearch indices; the API reads them back.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>A line leaves the Redis stream only after Elasticsearch accepted it, so logs survive an
 *       Elasticsearch outage as long as the stream's bound ({@code logs.stream_max_len}) holds; lines the
 *       bound cuts are counted ({@code jobsched_log_lines_dropped_total}) and warned about, never lost unseen.</li>
 *   <li>Lines Redis loses before they were indexed (FLUSHALL, a restart without its data or missing its last
 *       second) are sent again by the worker that shipped them, if it shipped them within the last 30 s
 *       ({@link io.jobsched.logs.ShippedLines}); counted ({@code jobsched_log_lines_replayed_total}) and warned
 *       about. Older unindexed lines (Elasticsearch down as well) may be lost then, and the warning says so.</li>
 *   <li>Lines an indexer took and did not acknowledge within {@code logs.claim_idle_ms} are taken over by a
 *       live indexer (XAUTOCLAIM): a dead node's share is not stranded.</li>
 *   <li>Indexing is idempotent (document id = run id + line seq): a batch retried after a crash
 *       overwrites, never duplicates.</li>
 *   <li>Lines of a run keep their order by {@code seq}, across stdout and stderr.</li>
 *   <li>Searches are built from term/range/match clauses, never query_string: user input stays data.</li>
 * </ul>
 */
package io.jobsched.logs;
