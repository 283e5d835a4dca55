package io.jobsched.logs;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ShippedLinesTest {
  private static final UUID RUN = UUID.randomUUID();

  private static List<LogLine> lines(int from, int to, String text) {
    return IntStream.rangeClosed(from, to)
        .mapToObj(seq -> new LogLine(RUN, "job", "default", "stdout", seq, Instant.EPOCH, text)).toList();
  }

  private static List<Long> seqs(List<LogLine> lines) {
    return lines.stream().map(LogLine::seq).toList();
  }

  @Test
  void keeps_what_was_sent_within_the_window_oldest_first_and_forgets_older_lines() {
    ShippedLines shipped = new ShippedLines(1_000, 100, 1_000_000);
    shipped.add(lines(1, 2, "a"), 0);
    shipped.add(lines(3, 4, "b"), 600);
    assertThat(shipped.any(900)).isTrue();
    assertThat(seqs(shipped.takeAll(1_200))).as("the first batch is 1,200 ns old").containsExactly(3L, 4L);
    assertThat(shipped.any(1_200)).as("taken lines are kept again only once sent again").isFalse();
  }

  @Test
  void nothing_is_kept_past_the_window() {
    ShippedLines shipped = new ShippedLines(1_000, 100, 1_000_000);
    shipped.add(lines(1, 3, "a"), 0);
    assertThat(shipped.any(1_001)).isFalse();
    assertThat(shipped.takeAll(1_001)).isEmpty();
  }

  @Test
  void a_chatty_node_keeps_the_newest_lines_within_the_count_and_size_bounds() {
    ShippedLines byCount = new ShippedLines(1_000_000, 3, 1_000_000);
    byCount.add(lines(1, 5, "x"), 0);
    assertThat(seqs(byCount.takeAll(1))).containsExactly(3L, 4L, 5L);

    ShippedLines bySize = new ShippedLines(1_000_000, 100, 10);
    bySize.add(lines(1, 4, "four"), 0);
    assertThat(seqs(bySize.takeAll(1))).as("8 of at most 10 characters").containsExactly(3L, 4L);
  }
}
