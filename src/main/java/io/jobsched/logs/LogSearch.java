package io.jobsched.logs;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A log search: full text {@code text} over the lines (null: every line), narrowed by job, run, stream and time,
 * newest first, {@code limit} lines after {@code after} (a previous page's cursor, null for the first page).
 * {@code namespaces} null means every namespace; otherwise only lines of these namespaces are found.
 */
public record LogSearch(String text, String jobId, UUID runId, String stream, Instant since, Instant until,
                        int limit, LogCursor after, Set<String> namespaces) {}
