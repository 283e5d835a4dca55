/**
 * Run history in two tiers. The hot tier is Postgres: the {@code runs} table's monthly partitions of the last
 * {@code history.hot_months} months (the current one included). The cold tier is Parquet files under
 * {@code history.cold_dir}, one directory per month with a manifest.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>A month leaves Postgres only after its files were written, read back, and matched the partition's row
 *   count and checksum ({@link RowChecksum}); the month's entry in {@code run_archives} and the drop of its
 *   partition commit together. A crash at any step leaves the month in Postgres (attached or detached) and the
 *   next sweep starts its export again.</li>
 *   <li>A month with an unfinished run (PENDING or RUNNING) is never archived.</li>
 *   <li>One archiver at a time across the cluster (a Postgres advisory lock held by its connection).</li>
 *   <li>A run keeps answering by id and in its job's history from either tier; cold answers say
 *   {@code "tier": "cold"}.</li>
 * </ul>
 * {@link HistoryTiers}, {@link RowChecksum} and {@link ColdColumns}' canonical form are plain Java; the
 * DuckDB classes ({@link ColdWriter}, {@link ColdStore}) block and run on worker threads only.
 */
package io.jobsched.history;
