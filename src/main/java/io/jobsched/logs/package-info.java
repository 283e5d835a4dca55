/**
 * Task output: workers append lines to a bounded Redis stream; the indexer moves them into daily
 * Elasticsearch indices; the API reads them back.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>A line leaves the Redis stream only after Elasticsearch accepted it, so logs survive an
 *       Elasticsearch outage as long as the stream's bound ({@code logs.stream_max_len}) holds.</li>
 *   <li>Indexing is idempotent (document id = run id + line seq): a batch retried after a crash
 *       overwrites, never duplicates.</li>
 *   <li>Lines of a run keep their order by {@code seq}, across stdout and stderr.</li>
 *   <li>Searches are built from term/range/match clauses, never query_string: user input stays data.</li>
 * </ul>
 */
package io.jobsched.logs;
