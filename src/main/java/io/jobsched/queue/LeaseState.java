package io.jobsched.queue;

/** What a heartbeat found for one claim. */
public enum LeaseState {
  /** The claim still owned the lease; it now lasts one more lease period. */
  EXTENDED,
  /** Redis had lost the lease while it could not have expired; it was put back under the same token. */
  RESTORED,
  /** Another claim owns the run, or the lease is gone after it may have expired: the holder must stop. */
  LOST
}
