package io.jobsched.scheduler;

import java.util.ArrayList;
import java.util.List;

/**
 * Which logical shards a node promotes: shard s belongs to the member at index (s mod members) of the
 * sorted member list. Only a load split: promotion stays correct when two nodes briefly both own a
 * shard (row locks, unique runs) and a shard nobody owns is picked up at the next membership change.
 */
public final class ShardOwnership {
  private ShardOwnership() {
  }

  public static int[] owned(List<String> members, String self, int shards) {
    List<String> sorted = new ArrayList<>(members);
    if (!sorted.contains(self)) {
      sorted.add(self);
    }
    sorted.sort(null);
    int index = sorted.indexOf(self);
    int count = sorted.size();
    List<Integer> mine = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      if (s % count == index) {
        mine.add(s);
      }
    }
    return mine.stream().mapToInt(Integer::intValue).toArray();
  }
}
