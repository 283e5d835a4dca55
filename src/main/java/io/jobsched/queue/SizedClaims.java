package io.jobsched.queue;

import io.jobsched.job.Needs;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What one sized claim returned: the claims with the needs each reserves, and the run the worker must wait
 * for before claiming other sized runs ({@code blocked}, null when none waited long enough; see
 * {@code claimSizedRuns-6.lua}) and when it was due (ms, Redis' clock).
 */
public record SizedClaims(List<SizedClaim> claims, UUID blocked, long blockedDueMs) {
  /** One claimed sized run and what it reserves. */
  public record SizedClaim(Claim claim, Needs needs) {}

  static SizedClaims from(Response resp, int partition) {
    String blocked = resp.get(1).toString();
    List<SizedClaim> claims = new ArrayList<>(Math.max(0, (resp.size() - 2) / 3));
    for (int i = 3; i + 2 < resp.size(); i += 3) {
      claims.add(new SizedClaim(new Claim(UUID.fromString(resp.get(i).toString()), resp.get(i + 1).toLong(), partition),
          Needs.fromWire(resp.get(i + 2).toString())));
    }
    return new SizedClaims(claims, blocked.isEmpty() ? null : UUID.fromString(blocked), resp.get(2).toLong());
  }
}
