package io.jobsched.run;

import io.jobsched.job.Job;

import java.time.Duration;
import java.util.List;

/**
 * What an ended attempt leads to: a retry after a backoff, a run of the timeout handler job, both, or
 * nothing. Pure; the store writes the follow-ups in the same statement as the result, so an attempt's
 * follow-ups happen exactly once whichever node records it.
 *
 * @param retryAfter     delay before the next attempt, or null for none
 * @param handlerJobId   job to fire because this attempt timed out, or null
 * @param workersLost    lost workers of this fire forgiven so far, for the next attempt's context (0 when
 *                       there is no next attempt)
 * @param notices        the notifications this outcome owes: on a final outcome only, so a retried attempt
 *                       notifies nothing ({@link Notice#owed})
 */
public record FollowUp(Duration retryAfter, String handlerJobId, int workersLost, List<Notice> notices) {
  public static final FollowUp NONE = new FollowUp(null, null);

  public FollowUp {
    notices = notices == null || notices.isEmpty() ? List.of() : List.copyOf(notices);
  }

  public FollowUp(Duration retryAfter, String handlerJobId, int workersLost) {
    this(retryAfter, handlerJobId, workersLost, List.of());
  }

  public FollowUp(Duration retryAfter, String handlerJobId) {
    this(retryAfter, handlerJobId, 0);
  }
  /** Lost workers an attempt of one fire may suffer before the loss counts as the task's failure. */
  public static final int MAX_WORKERS_LOST = 3;

  /**
   * FAILED attempts are retried while attempts remain; TIMED_OUT ones per {@code on_timeout}: {@code fail}
   * never retries, {@code retry} retries like a failure, {@code handler} fires the handler job (and does not
   * retry). {@code random} in [0, 1) feeds the jitter.
   */
  public static FollowUp decide(Job job, Run run, RunStatus status, double random) {
    return decide(job, run.attempt() - run.workersLost(), status, random).carrying(run.workersLost());
  }

  /**
   * An attempt whose worker vanished (crashed, killed, partitioned past its lease) is not the task's fault:
   * it runs again at once, consuming no retry, up to {@link #MAX_WORKERS_LOST} times per fire, so a task that
   * kills every worker it lands on cannot loop forever; after that it counts as a failure.
   */
  public static FollowUp afterWorkerLost(Job job, Run run, double random) {
    if (run.workersLost() < MAX_WORKERS_LOST) {
      return new FollowUp(Duration.ZERO, null, run.workersLost() + 1);
    }
    return decide(job, run, RunStatus.FAILED, random);
  }

  /** {@code attempt} counts the attempts the retry policy sees (lost workers excluded). */
  public static FollowUp decide(Job job, int attempt, RunStatus status, double random) {
    FollowUp next = next(job, attempt, status, random);
    return next.isFinal() && !job.notifyRules().isEmpty()
        ? new FollowUp(null, next.handlerJobId, next.workersLost, Notice.owed(job, status)) : next;
  }

  private static FollowUp next(Job job, int attempt, RunStatus status, double random) {
    boolean attemptsLeft = job.retry().hasAttemptAfter(attempt);
    Duration backoff = attemptsLeft ? job.retry().delayBefore(attempt + 1, random) : null;
    return switch (status) {
      case FAILED -> new FollowUp(backoff, null);
      case TIMED_OUT -> switch (job.onTimeout().action()) {
        case FAIL -> NONE;
        case RETRY -> new FollowUp(backoff, null);
        case HANDLER -> new FollowUp(null, job.onTimeout().handlerJobId());
      };
      default -> NONE;
    };
  }

  /**
   * The forgiven losses travel with the lineage: a loss beyond the allowance is not forgiven, so it does
   * not raise the count, and the retry policy sees it as the failure it is.
   */
  private FollowUp carrying(int lost) {
    return retryAfter == null ? this : new FollowUp(retryAfter, handlerJobId, lost, notices);
  }

  /** Whether this attempt is the run's last word (after-chains fire on final outcomes only). */
  public boolean isFinal() {
    return retryAfter == null;
  }


  /**
   * The reason to record with an attempt: {@code retries_exhausted} on the last attempt of a failure the
   * retry policy allowed more than one attempt for, so history says why nothing follows; else {@code reason}.
   */
  public String reasonFor(Job job, RunStatus status, String reason) {
    boolean exhausted = status == RunStatus.FAILED && isFinal() && job.retry().maxAttempts() > 1;
    return reason == null && exhausted ? "retries_exhausted" : reason;
  }
}
