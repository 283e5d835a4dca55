package io.jobsched.service;

import io.jobsched.history.ColdRuns;
import io.jobsched.logs.EsLogStore;
import io.jobsched.logs.LogLine;
import io.jobsched.queue.Leases;
import io.jobsched.run.Run;
import io.jobsched.run.RunStatus;
import io.jobsched.store.Notifications;
import io.jobsched.store.Notifications.Notification;
import io.jobsched.store.RunCursor;
import io.jobsched.store.RunStore;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/** Run history and run logs, shared by REST and the event bus. */
public final class RunService {
  /** A page of runs and the cursor of the next page (null on the last); {@code cold}: ids read from the cold tier. */
  public record RunPage(List<Run> items, String nextCursor, Set<UUID> cold) {}

  /**
   * A run and where it was read; {@code leaseExpiresAt}: when its worker's claim lapses unless renewed (null:
   * none); {@code notifications}: what its final outcome sent (empty for a live or cold run).
   */
  public record Found(Run run, boolean cold, Instant leaseExpiresAt, List<Notification> notifications) {
    public Found(Run run, boolean cold, Instant leaseExpiresAt) {
      this(run, cold, leaseExpiresAt, List.of());
    }
  }

  private static final long LEASE_LOOKUP_MS = 500;

  private final RunStore runs;
  private final ColdRuns coldRuns;
  private final EsLogStore logs;
  private final Consumer<UUID> cancels;
  private final Leases leases;
  private final Notifications notifications;

  /** {@code cancels} tells the cluster to stop a running run (published to every worker). */
  public RunService(RunStore runs, ColdRuns coldRuns, EsLogStore logs, Consumer<UUID> cancels, Leases leases,
                    Notifications notifications) {
    this.leases = leases;
    this.notifications = notifications;
    this.runs = runs;
    this.coldRuns = coldRuns;
    this.logs = logs;
    this.cancels = cancels;
  }

  /** A run in Postgres; one of an archived month is not found (it cannot change). */
  public Future<Run> get(Caller caller, UUID id) {
    return runs.get(id).compose(found -> visible(caller, id, found));
  }

  /** A run from either tier: Postgres, else the cold files of the month its id names; a live run with its lease. */
  public Future<Found> find(Caller caller, UUID id) {
    return notifications.runWithNotifications(id)
        .compose(hot -> hot.isPresent()
            ? Future.succeededFuture(hot.map(r -> new Found(r.run(), false, null, r.notifications())))
            : coldRuns.byId(id).recover(RunService::coldUnavailable).map(cold -> cold.map(r -> new Found(r, true, null))))
        .compose(found -> visible(caller, id, found.map(Found::run)).map(run -> found.get()))
        // an ended run has no lease (and a live one no notifications yet)
        .compose(found -> found.cold() || found.run().status().isTerminal() ? Future.succeededFuture(found)
            : leaseOf(found.run()).map(lease -> new Found(found.run(), false, lease.orElse(null))));
  }

  /** The lease is a detail: with Redis down or slow the run is answered from Postgres without it. */
  private Future<Optional<Instant>> leaseOf(Run run) {
    return leases.expiry(run.jobId(), run.id()).timeout(LEASE_LOOKUP_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
        .otherwise(err -> Optional.empty());
  }

  /** The run if the caller may see its namespace; else (or when there is none) 404, saying nothing more. */
  private static Future<Run> visible(Caller caller, UUID id, Optional<Run> found) {
    return found.filter(r -> caller.sees(r.namespace())).map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("run " + id)));
  }

  /**
   * Cancels a PENDING or RUNNING run (whichever node holds or runs it is told: a PENDING run may already be
   * held for its instant, or running a quick task not yet written RUNNING); 409 if it already ended.
   */
  public Future<Run> cancel(Caller caller, UUID id) {
    return get(caller, id).compose(runs::requestCancel).compose(changed -> {
      if (changed.isEmpty()) {
        return Future.failedFuture(new ApiException(409, "conflict", "run " + id + " has already finished"));
      }
      Run run = changed.get();
      cancels.accept(run.id());
      return Future.succeededFuture(run);
    });
  }

  /**
   * {@code cursor} (null or empty: the first page) must be a {@code nextCursor} of an earlier page, else
   * 400 naming {@code cursor}; a caller that looks something up first checks it before with {@link #runCursor}.
   */
  public Future<RunPage> listForJob(String jobId, RunStatus status, Instant since, Instant until, String cursor,
                                    int limit) {
    RunCursor after;
    try {
      after = runCursor(cursor);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    // one extra row tells whether there is a next page without a second query
    return runs.listForJob(jobId, status, since, until, after, limit + 1)
        .compose(hot -> withCold(hot, jobId, status, since, until, after, limit + 1))
        .map(page -> {
          List<Run> rows = page.items();
          boolean more = rows.size() > limit;
          List<Run> items = more ? rows.subList(0, limit) : rows;
          return new RunPage(items, more ? RunCursor.after(items.get(items.size() - 1)).encode() : null, page.cold());
        });
  }

  /**
   * Adds the cold tier's runs where the page reaches into archived months: when the hot rows do not fill it, or
   * the last of them is older than the end of the newest archived month. Both tiers are read in the same
   * order after the same cursor and merged.
   */
  private Future<RunPage> withCold(List<Run> hot, String jobId, RunStatus status, Instant since, Instant until,
                                   RunCursor after, int want) {
    return coldRuns.coldUntil().compose(coldUntil -> {
      boolean reaches = coldUntil.isPresent() && (since == null || since.isBefore(coldUntil.get()))
          && (hot.size() < want || hot.get(hot.size() - 1).scheduledFor().isBefore(coldUntil.get()));
      if (!reaches) {
        return Future.succeededFuture(new RunPage(hot, null, Set.of()));
      }
      return coldRuns.jobPage(jobId, status, since, until, after, want).recover(RunService::coldUnavailable).map(cold -> {
        List<Run> merged = new ArrayList<>(hot);
        merged.addAll(cold);
        merged.sort(HISTORY_ORDER);
        List<Run> page = List.copyOf(merged.subList(0, Math.min(want, merged.size())));
        Set<UUID> coldIds = new HashSet<>();
        cold.forEach(r -> coldIds.add(r.id()));
        return new RunPage(page, null, coldIds);
      });
    });
  }

  /** The cold tier's files cannot be read here (history.cold_dir not shared with this node, a file lost): 503. */
  private static <T> Future<T> coldUnavailable(Throwable err) {
    return Future.failedFuture(new ApiException(503, "unavailable", "this run history is in the cold tier, which "
        + "this node cannot read (history.cold_dir): " + err.getMessage()));
  }

  /** A job's history order: newest fire first, then the higher attempt, then the higher id (as the queries sort). */
  private static final Comparator<Run> HISTORY_ORDER = Comparator.comparing(Run::scheduledFor)
      .thenComparingInt(Run::attempt).thenComparing(Run::id, RunService::compareUuidBytes).reversed();

  /** Postgres and DuckDB order UUIDs by their bytes, unsigned; UUID.compareTo compares signed longs. */
  private static int compareUuidBytes(UUID a, UUID b) {
    int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }

  /** A run-history cursor, or null for the first page; a junk one is a 400 naming {@code cursor}. */
  public static RunCursor runCursor(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      return RunCursor.decode(cursor);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("cursor", "not a cursor returned by this API");
    }
  }

  /** A run's lines after {@code afterSeq} and whether the run had ended before they were read. */
  public record LogChunk(boolean ended, List<LogLine> lines) {}

  /**
   * A run's lines after {@code afterSeq} ({@code stream} null: both). The run's state is read first, so for a
   * follow "ended" never hides a line read in the same chunk.
   */
  public Future<LogChunk> logs(Caller caller, UUID runId, String stream, long afterSeq, int limit) {
    return get(caller, runId).compose(run -> logs.linesOf(runId, stream, afterSeq, limit)
        .map(lines -> new LogChunk(run.status().isTerminal(), lines)));
  }
}
