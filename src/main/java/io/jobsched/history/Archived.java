package io.jobsched.history;

import java.time.YearMonth;
import java.util.List;

/** A month in the cold tier: its files, and the row count and checksum they were verified against. */
public record Archived(YearMonth month, List<ColdFile> files, long rows, String checksum) {}
