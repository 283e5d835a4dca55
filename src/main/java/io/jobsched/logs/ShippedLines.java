package io.jobsched.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The lines a shipper sent lately, kept so they can be sent again when Redis loses its data (FLUSHALL, a
 * restart without its files, a failover to an empty replica) before an indexer took them: the stream is then
 * their only copy. Indexing is idempotent, so a line sent twice is rewritten, never doubled. Bounded by age
 * and by size, so a chatty node keeps less than {@link #KEEP_NANOS}; times are {@link System#nanoTime()}.
 */
final class ShippedLines {
  /** Far beyond how long an indexer takes to index a line while Elasticsearch is up (milliseconds). */
  static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(30);
  static final int MAX_LINES = 50_000;
  static final long MAX_CHARS = 8L * 1024 * 1024;

  private record Shipped(long atNanos, LogLine line) {}

  private final long keepNanos;
  private final int maxLines;
  private final long maxChars;
  private final ArrayDeque<Shipped> lines = new ArrayDeque<>();
  private long chars;

  ShippedLines() {
    this(KEEP_NANOS, MAX_LINES, MAX_CHARS);
  }

  ShippedLines(long keepNanos, int maxLines, long maxChars) {
    this.keepNanos = keepNanos;
    this.maxLines = maxLines;
    this.maxChars = maxChars;
  }

  /** Redis acknowledged {@code batch} at {@code nowNanos}. */
  synchronized void add(List<LogLine> batch, long nowNanos) {
    for (LogLine line : batch) {
      lines.addLast(new Shipped(nowNanos, line));
      chars += line.line().length();
    }
    forgetOld(nowNanos);
  }

  /** Whether some line sent within the window is still kept (so a loss of Redis' data is worth checking for). */
  synchronized boolean any(long nowNanos) {
    forgetOld(nowNanos);
    return !lines.isEmpty();
  }

  /** Every line kept, oldest first, and forgets them: they are about to be sent again (and kept again then). */
  synchronized List<LogLine> takeAll(long nowNanos) {
    forgetOld(nowNanos);
    List<LogLine> all = new ArrayList<>(lines.size());
    lines.forEach(s -> all.add(s.line()));
    lines.clear();
    chars = 0;
    return all;
  }

  private void forgetOld(long nowNanos) {
    while (!lines.isEmpty()
        && (nowNanos - lines.peekFirst().atNanos() > keepNanos || lines.size() > maxLines || chars > maxChars)) {
      chars -= lines.removeFirst().line().line().length();
    }
  }
}
