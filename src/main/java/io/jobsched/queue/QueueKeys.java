package io.jobsched.queue;

/**
 * Redis key names of one queue partition. Every key of a partition carries the partition's hash tag (see
 * {@link PartitionTags}), so each Lua transition touches a single slot and runs unchanged on Redis Cluster.
 */
public record QueueKeys(String prefix, int partition, String tag) {
  /** The keys of a partition on a single Redis server: tag {@code q<P>}. */
  public QueueKeys(String prefix, int partition) {
    this(prefix, partition, PartitionTags.standalone(partition));
  }

  /** The keys of partition {@code p} of {@code n}, tagged for a Redis Cluster or for one server. */
  public static QueueKeys of(String prefix, int p, int n, boolean cluster) {
    return cluster ? new QueueKeys(prefix, p, PartitionTags.spread(p, n)) : new QueueKeys(prefix, p);
  }

  private String base() {
    return prefix + ":{" + tag + "}:";
  }

  /**
   * Due runs of one resource class and task kind, by aged priority (see {@link Scores}). One queue per kind
   * lets a worker that refuses a kind ({@code worker.task_kinds}) never claim its runs.
   */
  public String ready(String resourceClass, String taskKind) {
    return base() + "ready:" + resourceClass + ":" + taskKind;
  }

  /** Runs of one resource class and task kind that are not due yet, by fire time (see {@link Scores}). */
  public String delayed(String resourceClass, String taskKind) {
    return base() + "delayed:" + resourceClass + ":" + taskKind;
  }

  /**
   * Due sized runs (any cpu, memory or GPU need) of one class and kind, by aged priority: a queue apart from
   * {@link #ready}, so unsized runs keep their claim unchanged and sized ones are claimed only where they fit.
   */
  public String readySized(String resourceClass, String taskKind) {
    return base() + "ready-sized:" + resourceClass + ":" + taskKind;
  }

  /** Sized runs of one class and kind that are not due yet, scored as {@link #delayed}. */
  public String delayedSized(String resourceClass, String taskKind) {
    return base() + "delayed-sized:" + resourceClass + ":" + taskKind;
  }

  /** Queued sized runs: run → "cpu_milli,memory_mb,gpu,due_ms"; an entry lives while its run is queued. */
  public String needs() {
    return base() + "needs";
  }

  /** Claimed runs: run → lease expiry in ms of Redis time. */
  public String leases() {
    return base() + "leases";
  }

  /** Claimed runs: run → fencing token of the claim. */
  public String owners() {
    return base() + "owners";
  }

  /** Fencing token counter. */
  public String seq() {
    return base() + "seq";
  }
}
