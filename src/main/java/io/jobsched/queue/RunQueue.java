package io.jobsched.queue;

import io.jobsched.job.Needs;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** The ready queues and leases in Redis; every method is one Lua transition (or one per partition). */
public final class RunQueue {
  private static final String AGE = Long.toString(Scores.AGE_MS_PER_PRIORITY);
  /** Due runs moved from delayed to ready per claim at least: a spike's backlog is moved in a few calls. */
  private static final int MOVE_PER_CLAIM = 1000;

  private final LuaScripts lua;
  private final String prefix;
  private final int partitions;
  private final boolean cluster;
  private final QueueKeys[] keys;

  /** The queue on a single Redis server. */
  public RunQueue(LuaScripts lua, String prefix, int partitions) {
    this(lua, prefix, partitions, false);
  }

  /** {@code cluster}: the partitions' keys are tagged to spread evenly over a Redis Cluster's masters. */
  public RunQueue(LuaScripts lua, String prefix, int partitions, boolean cluster) {
    this.lua = lua;
    this.prefix = prefix;
    this.partitions = partitions;
    this.cluster = cluster;
    this.keys = new QueueKeys[partitions];
    for (int p = 0; p < partitions; p++) {
      keys[p] = QueueKeys.of(prefix, p, partitions, cluster);
    }
  }

  public int partitions() {
    return partitions;
  }

  public int partitionOf(String jobId) {
    return Partitions.bucket(jobId, partitions);
  }

  /** A partition past {@code partitions} comes from a claim recorded before the count was lowered. */
  public QueueKeys keys(int partition) {
    return partition < partitions ? keys[partition] : QueueKeys.of(prefix, partition, partitions, cluster);
  }

  /**
   * Adds runs to their queues (ready when due, delayed until then) unless already queued or claimed;
   * resolves to the number added.
   */
  public Future<Integer> enqueue(List<QueuedRun> runs) {
    Map<List<String>, List<String>> argsByQueue = new LinkedHashMap<>();
    for (QueuedRun run : runs) {
      QueueKeys k = keys(partitionOf(run.jobId()));
      // a sized run waits in the sized queue with its needs beside it (the list's size names the script)
      List<String> queueKeys = run.sized()
          ? List.of(k.delayedSized(run.resourceClass(), run.taskKind()),
              k.readySized(run.resourceClass(), run.taskKind()), k.owners(), k.needs())
          : List.of(k.delayed(run.resourceClass(), run.taskKind()), k.ready(run.resourceClass(), run.taskKind()),
              k.owners());
      List<String> args = argsByQueue.computeIfAbsent(queueKeys, x -> new ArrayList<>(List.of(AGE)));
      args.add(Long.toString(Scores.of(run.dueAt(), run.priority())));
      args.add(run.runId().toString());
      if (run.sized()) {
        args.add(run.needs().wire());
      }
    }
    List<Future<Response>> calls = new ArrayList<>();
    argsByQueue.forEach((queueKeys, args) ->
        calls.add(lua.call(queueKeys.size() == 4 ? "enqueueSizedRuns-4" : "enqueueRuns-3", queueKeys, args)));
    return Future.all(calls).map(all -> {
      int added = 0;
      for (int i = 0; i < all.size(); i++) {
        added += ((Response) all.resultAt(i)).toInteger();
      }
      return added;
    });
  }

  /**
   * Claims up to {@code max} runs of one queue: due ones by aged priority, then, with room left, runs due
   * within {@code windowMs}, earliest first (to be held until their instant).
   */
  public Future<List<Claimed>> claim(int partition, String resourceClass, String taskKind, int max, int leaseMs,
                                     long windowMs) {
    QueueKeys k = keys(partition);
    return lua.call("claimRuns-5", List.of(k.delayed(resourceClass, taskKind), k.ready(resourceClass, taskKind),
                k.leases(), k.owners(), k.seq()),
            List.of(Integer.toString(max), Integer.toString(leaseMs), Long.toString(windowMs), AGE,
                Integer.toString(Math.max(MOVE_PER_CLAIM, max))))
        .map(resp -> {
          long nowMs = resp.get(0).toLong();
          List<Claimed> claims = new ArrayList<>(resp.size() / 3);
          for (int i = 1; i + 2 < resp.size(); i += 3) {
            claims.add(new Claimed(new Claim(UUID.fromString(resp.get(i).toString()), resp.get(i + 1).toLong(),
                partition), Math.max(0, resp.get(i + 2).toLong() - nowMs)));
          }
          return claims;
        });
  }

  /**
   * Claims due sized runs of one queue that fit {@code free} (and at most {@code max}, the free slots), in one
   * Lua transition; see {@code claimSizedRuns-6.lua} for the walk and the fairness stop.
   */
  public Future<SizedClaims> claimSized(int partition, String resourceClass, String taskKind, int max, int leaseMs,
                                        Needs free, Needs totals, long reserveAfterMs, int scan) {
    QueueKeys k = keys(partition);
    return lua.call("claimSizedRuns-6", List.of(k.delayedSized(resourceClass, taskKind),
                k.readySized(resourceClass, taskKind), k.leases(), k.owners(), k.seq(), k.needs()),
            List.of(Integer.toString(max), Integer.toString(leaseMs), Integer.toString(free.cpuMilli()),
                Integer.toString(free.memoryMb()), Integer.toString(free.gpu()), Integer.toString(totals.cpuMilli()),
                Integer.toString(totals.memoryMb()), Integer.toString(totals.gpu()), Long.toString(reserveAfterMs), AGE,
                Integer.toString(Math.max(MOVE_PER_CLAIM, max)), Integer.toString(scan)))
        .map(resp -> SizedClaims.from(resp, partition));
  }

  /**
   * Whether any sized run is queued in the partition (its needs hash exists): one read that spares a worker
   * the sized claims of a partition that has none, so sized polling costs little where nobody sizes runs.
   */
  public Future<Boolean> hasSized(int partition) {
    return lua.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.EXISTS).arg(keys(partition).needs()))
        .map(resp -> resp.toInteger() > 0);
  }

  /** Claims due runs only (no pre-claim window). */
  public Future<List<Claim>> claim(int partition, String resourceClass, String taskKind, int max, int leaseMs) {
    return claim(partition, resourceClass, taskKind, max, leaseMs, 0)
        .map(claimed -> claimed.stream().map(Claimed::claim).toList());
  }

  /**
   * Extends the leases of claims in one partition. A claim for which {@code mayRestore} holds (its holder
   * knows the lease cannot have expired yet) gets its lease back if Redis lost it. Resolves to one state per
   * claim, in order.
   */
  public Future<List<LeaseState>> heartbeat(int partition, List<Claim> claims, Predicate<Claim> mayRestore,
                                            int leaseMs) {
    if (claims.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    QueueKeys k = keys(partition);
    List<String> args = new ArrayList<>();
    args.add(Integer.toString(leaseMs));
    for (Claim c : claims) {
      args.addAll(runAndToken(c));
      args.add(mayRestore.test(c) ? "1" : "0");
    }
    return lua.call("heartbeatLeases-2", List.of(k.leases(), k.owners()), args).map(resp -> {
      List<LeaseState> states = new ArrayList<>(claims.size());
      for (int i = 0; i < claims.size(); i++) {
        int code = resp.get(i).toInteger();
        states.add(code == 1 ? LeaseState.EXTENDED : code == 2 ? LeaseState.RESTORED : LeaseState.LOST);
      }
      return states;
    });
  }

  /** A claim as the lease scripts take it: run, token. */
  private static List<String> runAndToken(Claim c) {
    return List.of(c.runId().toString(), Long.toString(c.token()));
  }

  /**
   * Gives back leases Redis lost for runs Postgres has RUNNING under these claims (of any partitions, one
   * call per partition); each lasts one lease period from now. Resolves to the runs whose lease was restored.
   */
  public Future<List<UUID>> restoreAll(List<Claim> claims, int leaseMs) {
    return perPartition("restoreLeases-2", claims, List.of(Integer.toString(leaseMs))).map(replies -> {
      List<UUID> restored = new ArrayList<>();
      replies.forEach(resp -> resp.forEach(r -> restored.add(UUID.fromString(r.toString()))));
      return restored;
    });
  }

  /** Drops the lease of a finished run; false means the claim was fenced. */
  public Future<Boolean> release(Claim claim) {
    return releaseAll(List.of(claim)).map(released -> released == 1);
  }

  /** Drops the leases of finished runs, one call per partition; resolves to how many were released (not fenced). */
  public Future<Integer> releaseAll(List<Claim> claims) {
    return perPartition("releaseLeases-2", claims, List.of()).map(replies -> {
      int released = 0;
      for (Response resp : replies) {
        for (Response r : resp) {
          released += r.toInteger();
        }
      }
      return released;
    });
  }

  /**
   * One call of a lease script (KEYS: leases, owners) per partition the claims fall in, ARGV {@code leading}
   * then run and token of each claim; resolves to the replies.
   */
  private Future<List<Response>> perPartition(String script, List<Claim> claims, List<String> leading) {
    Map<Integer, List<String>> argsByPartition = new LinkedHashMap<>();
    for (Claim c : claims) {
      argsByPartition.computeIfAbsent(c.partition(), p -> new ArrayList<>(leading)).addAll(runAndToken(c));
    }
    List<Future<Response>> calls = new ArrayList<>();
    argsByPartition.forEach((partition, args) ->
        calls.add(lua.call(script, List.of(keys(partition).leases(), keys(partition).owners()), args)));
    return Future.all(calls).map(all -> {
      List<Response> replies = new ArrayList<>(all.size());
      for (int i = 0; i < all.size(); i++) {
        replies.add(all.resultAt(i));
      }
      return replies;
    });
  }

  /** Hands a claimed run back to the ready queue; false means the claim was fenced. */
  public Future<Boolean> requeue(Claim claim, QueuedRun run) {
    QueueKeys k = keys(claim.partition());
    if (run.sized()) {
      return lua.call("requeueSizedLease-5", List.of(k.leases(), k.owners(),
                  k.delayedSized(run.resourceClass(), run.taskKind()), k.readySized(run.resourceClass(), run.taskKind()),
                  k.needs()),
              List.of(claim.runId().toString(), Long.toString(claim.token()),
                  Long.toString(Scores.of(run.dueAt(), run.priority())), AGE, run.needs().wire()))
          .map(resp -> resp.toInteger() == 1);
    }
    return lua.call("requeueLease-4", List.of(k.leases(), k.owners(), k.delayed(run.resourceClass(), run.taskKind()),
                k.ready(run.resourceClass(), run.taskKind())),
            List.of(claim.runId().toString(), Long.toString(claim.token()),
                Long.toString(Scores.of(run.dueAt(), run.priority())), AGE))
        .map(resp -> resp.toInteger() == 1);
  }

  /** Claims whose lease expired by Redis time; token 0 when the owner entry is missing. */
  public Future<List<Claim>> expired(int partition, int max) {
    QueueKeys k = keys(partition);
    return lua.call("expiredLeases-2", List.of(k.leases(), k.owners()), List.of(Integer.toString(max)))
        .map(resp -> {
          List<Claim> claims = new ArrayList<>();
          for (int i = 0; i + 1 < resp.size(); i += 2) {
            String token = resp.get(i + 1).toString();
            claims.add(new Claim(UUID.fromString(resp.get(i).toString()),
                token.isEmpty() ? 0 : Long.parseLong(token), partition));
          }
          return claims;
        });
  }
}
