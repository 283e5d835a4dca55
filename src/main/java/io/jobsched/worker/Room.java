package io.jobsched.worker;

import io.jobsched.job.Needs;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A worker's cpu, memory and GPUs for sized runs ({@code worker.resources}). A sized claim reserves everything
 * free before it is sent ({@link #reserveFree}), so a concurrent claim can never promise the same share twice;
 * its answer turns the share of each claimed run into a hold ({@link #settle}) and gives back the rest. A hold
 * lasts until the run's task ends or the run is given up unstarted ({@link #release}, idempotent). Unsized runs
 * never appear here.
 */
final class Room {
  private final Needs totals;
  private final Map<UUID, Needs> held = new HashMap<>();
  private Needs used = Needs.NONE;
  private Needs inFlight = Needs.NONE;

  Room(Needs totals) {
    this.totals = totals;
  }

  Needs totals() {
    return totals;
  }

  /** Held by runs (what the registry shows as used); a claim in flight is not counted. */
  Needs used() {
    return used;
  }

  Needs free() {
    return totals.minus(used).minus(inFlight);
  }

  /** Reserves all that is free for one claim in flight; resolves the claim with {@link #settle}. */
  Needs reserveFree() {
    Needs free = free();
    inFlight = inFlight.plus(free);
    return free;
  }

  /** The claim reserved with {@code reserved} answered with these runs: they hold their needs, the rest is free. */
  void settle(Needs reserved, Map<UUID, Needs> claimed) {
    inFlight = inFlight.minus(reserved);
    claimed.forEach(this::hold);
  }

  void hold(UUID runId, Needs needs) {
    if (held.putIfAbsent(runId, needs) == null) {
      used = used.plus(needs);
    }
  }

  /** Frees what the run held; nothing when it held nothing (an unsized run, or released already). */
  void release(UUID runId) {
    Needs needs = held.isEmpty() ? null : held.remove(runId);
    if (needs != null) {
      used = used.minus(needs);
    }
  }

  boolean anyHeld() {
    return !held.isEmpty() || !inFlight.reservesNothing();
  }
}
