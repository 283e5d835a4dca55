package io.jobsched.queue;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionTagsTest {
  /** Partitions per master when {@code masters} split the slots evenly, as redis-cli --cluster create does. */
  private static int[] perMaster(int partitions, int masters, boolean spread) {
    int[] counts = new int[masters];
    for (int p = 0; p < partitions; p++) {
      String tag = spread ? PartitionTags.spread(p, partitions) : PartitionTags.standalone(p);
      counts[Math.min(masters - 1, PartitionTags.slot(tag) * masters / PartitionTags.SLOTS)]++;
    }
    return counts;
  }

  @Test
  void slots_are_redis_cluster_keyslots() {
    // Redis' own test vector (CLUSTER KEYSLOT 123456789), and q0 as CLUSTER KEYSLOT "x:{q0}:seq" answered
    assertThat(PartitionTags.slot("123456789")).isEqualTo(12739);
    assertThat(PartitionTags.slot("q0")).isEqualTo(3387);
    assertThat(new QueueKeys("jobsched", 3).seq()).isEqualTo("jobsched:{q3}:seq");
    assertThat(QueueKeys.of("jobsched", 3, 8, false)).isEqualTo(new QueueKeys("jobsched", 3));
  }

  @Test
  void the_plain_tags_crowd_some_masters_and_skip_others() {
    assertThat(perMaster(12, 3, false)).containsExactly(3, 3, 6);
    assertThat(perMaster(24, 6, false)).contains(0);
  }

  @Test
  void cluster_tags_give_every_master_its_share_give_or_take_one() {
    for (int masters = 2; masters <= 16; masters++) {
      for (int partitions : new int[] {masters, 2 * masters, 3 * masters, 4 * masters, 8, 12, 16, 24, 32, 48, 64, 128, 256}) {
        int[] counts = perMaster(partitions, masters, true);
        String what = partitions + " partitions on " + masters + " masters: " + Arrays.toString(counts);
        assertThat(Arrays.stream(counts).max().getAsInt() - Arrays.stream(counts).min().getAsInt()).as(what).isLessThanOrEqualTo(1);
      }
    }
    assertThat(perMaster(12, 3, true)).containsExactly(4, 4, 4);
  }

  @Test
  void cluster_tags_are_distinct_and_stable() {
    long started = System.nanoTime();
    assertThat(PartitionTags.spread(5, 12)).isEqualTo(PartitionTags.spread(5, 12)).startsWith("q5-");
    long distinct = java.util.stream.IntStream.range(0, 1024).mapToObj(p -> PartitionTags.spread(p, 1024)).distinct().count();
    assertThat(distinct).isEqualTo(1024);
    // computed once per node start (and per RunQueue): the largest queue.partitions must stay cheap
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(5));
  }
}
