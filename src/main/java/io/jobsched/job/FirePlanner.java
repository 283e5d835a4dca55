package io.jobsched.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides which due fires of a job become runs. A fire is <em>missed</em> when it is more than
 * {@code misfireThreshold} in the past; missed fires follow the job's misfire policy and every one that
 * does not run is listed as SKIP with reason {@code misfire}, so none disappears silently.
 *
 * <p>At most {@code maxFiresPerPlan} fires are listed per call and the next fire points at the first one
 * not listed, so a long outage of a per-second cron is worked off in bounded chunks, without gaps.
 */
public final class FirePlanner {
  static final String MISFIRE = "misfire";

  private final Duration misfireThreshold;
  private final int maxFiresPerPlan;

  public FirePlanner(Duration misfireThreshold, int maxFiresPerPlan) {
    this.misfireThreshold = misfireThreshold;
    this.maxFiresPerPlan = maxFiresPerPlan;
  }

  public FirePlan plan(Schedule schedule, MisfirePolicy misfire, Instant nextFireAt, Instant now, Duration lookAhead) {
    Instant horizon = now.plus(lookAhead);
    List<Instant> due = new ArrayList<>();
    Optional<Instant> next = Optional.of(nextFireAt);
    while (next.isPresent() && !next.get().isAfter(horizon) && due.size() < maxFiresPerPlan) {
      due.add(next.get());
      next = schedule.nextFireAfter(next.get());
    }
    // fire_once runs the latest missed fire; if the fire after this chunk is missed too, it is not in this chunk
    boolean laterMissedFireExists = next.isPresent() && isMissed(next.get(), now);
    Instant latestMissed = null;
    if (!laterMissedFireExists) {
      for (Instant f : due) {
        if (isMissed(f, now)) {
          latestMissed = f;
        }
      }
    }
    List<PlannedFire> fires = new ArrayList<>(due.size());
    for (Instant f : due) {
      fires.add(isMissed(f, now) ? decideMissed(f, misfire, now, latestMissed) : PlannedFire.run(f));
    }
    return new FirePlan(fires, next);
  }

  private boolean isMissed(Instant fire, Instant now) {
    return Duration.between(fire, now).compareTo(misfireThreshold) > 0;
  }

  private static PlannedFire decideMissed(Instant fire, MisfirePolicy misfire, Instant now, Instant latestMissed) {
    boolean run = switch (misfire.policy()) {
      case SKIP -> false;
      case FIRE_ALL -> Duration.between(fire, now).compareTo(misfire.window()) <= 0;
      case FIRE_ONCE -> fire.equals(latestMissed);
    };
    return run ? PlannedFire.run(fire) : PlannedFire.skip(fire, MISFIRE);
  }
}
