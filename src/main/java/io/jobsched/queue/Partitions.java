package io.jobsched.queue;

/** Stable placement of ids into N buckets (job shards, queue partitions), identical on every node. */
public final class Partitions {
  private Partitions() {
  }

  public static int bucket(String id, int buckets) {
    int h = id.hashCode();
    h ^= (h >>> 16);
    h *= 0x85ebca6b;
    h ^= (h >>> 13);
    return Math.floorMod(h, buckets);
  }
}
