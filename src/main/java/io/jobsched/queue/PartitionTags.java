package io.jobsched.queue;

/**
 * The hash tags of queue partitions. On one server a partition's tag is {@code q<P>}. On a Redis Cluster a
 * tag decides the master: Redis puts a key in slot CRC16(tag) mod 16384, and CRC16 is linear, so the tags
 * {@code q0, q1, ...} land in a regular pattern (12 of them on three masters split 3/3/6, and 12 or 24 of them
 * leave two of six masters empty). Cluster tags are therefore {@code q<P>-<k>}: the first k whose slot lies
 * within 5 % of a partition's width of the middle of partition P's own 1/n of the slot space. Partitions then
 * sit evenly spaced over the slots, and each master of an evenly split cluster ({@code redis-cli --cluster
 * create}) gets n / masters of them, rounded up or down (PartitionTagsTest sweeps 2-16 masters).
 */
public final class PartitionTags {
  static final int SLOTS = 16384;
  /** How far from its ideal slot a partition may land, as a share of the slots per partition. */
  private static final double LEEWAY = 0.05;
  private static final int[] CRC_TABLE = new int[256];

  static {
    for (int b = 0; b < 256; b++) {
      int crc = b << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      CRC_TABLE[b] = crc & 0xffff;
    }
  }

  private PartitionTags() {
  }

  /** The tag of partition {@code p} on a single Redis server (the layout before Redis Cluster support). */
  public static String standalone(int p) {
    return "q" + p;
  }

  /** The tag of partition {@code p} of {@code n} on a Redis Cluster. */
  public static String spread(int p, int n) {
    double width = (double) SLOTS / n;
    double from = (p + 0.5 - LEEWAY) * width;
    double to = (p + 0.5 + LEEWAY) * width;
    int middle = (int) ((p + 0.5) * width);
    for (int k = 0; ; k++) {
      String tag = "q" + p + "-" + k;
      int slot = slot(tag);
      // a window narrower than one slot still holds the slot at its middle
      if ((slot >= from && slot < to) || slot == middle) {
        return tag;
      }
    }
  }

  /** The slot Redis Cluster gives a key whose hash tag is {@code tag}: CRC16 (XMODEM) mod 16384. */
  static int slot(String tag) {
    int crc = 0;
    for (byte b : tag.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 8) ^ b) & 0xff]) & 0xffff;
    }
    return crc % SLOTS;
  }
}
