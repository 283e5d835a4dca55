package io.jobsched.queue;

/**
 * Redis key names of one queue partition. Every key of a partition carries the hash tag {@code {q<P>}},
 * so each Lua transition touches a single slot and runs unchanged on Redis Cluster.
 */
public record QueueKeys(String prefix, int partition) {
  private String base() {
    return prefix + ":{q" + partition + "}:";
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
