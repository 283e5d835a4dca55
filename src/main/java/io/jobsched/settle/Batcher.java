package io.jobsched.settle;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit for one kind of statement: items asked for while {@code maxInFlight} statements are running
 * wait and go together in the next one (at most {@code maxBatch} an item each), and an item asked for when
 * nothing waits goes after {@code lingerMs}, with whatever joins it meanwhile. Under load batches grow by
 * themselves and the statements' count stays small; when idle an item waits {@code lingerMs} at most. Used
 * from one event loop only.
 *
 * @param <T> an item
 * @param <R> its answer; {@code statement} answers a batch with one answer per item, in order
 */
public final class Batcher<T, R> {
  private record Pending<T, R>(T item, Promise<R> answer) {}

  private final Vertx vertx;
  private final int maxBatch;
  private final long lingerMs;
  private final int maxInFlight;
  private final Function<List<T>, Future<List<R>>> statement;
  private final List<Pending<T, R>> waiting = new ArrayList<>();
  private int inFlight;
  private boolean lingering;

  public Batcher(Vertx vertx, int maxBatch, long lingerMs, int maxInFlight, Function<List<T>, Future<List<R>>> statement) {
    this.vertx = vertx;
    this.maxBatch = maxBatch;
    this.lingerMs = lingerMs;
    this.maxInFlight = maxInFlight;
    this.statement = statement;
  }

  /** Fails when the batch's statement did; the item was then not applied. */
  public Future<R> add(T item) {
    Promise<R> answer = Promise.promise();
    waiting.add(new Pending<>(item, answer));
    if (waiting.size() >= maxBatch) {
      send();
    } else if (!lingering) {
      lingering = true;
      vertx.setTimer(lingerMs, id -> {
        lingering = false;
        send();
      });
    }
    return answer.future();
  }

  private void send() {
    if (waiting.isEmpty() || inFlight >= maxInFlight) {
      return; // a statement in flight sends what waits when it ends
    }
    List<Pending<T, R>> batch = new ArrayList<>(waiting.subList(0, Math.min(maxBatch, waiting.size())));
    waiting.subList(0, batch.size()).clear();
    inFlight++;
    statement.apply(batch.stream().map(Pending::item).toList()).onComplete(ar -> {
      inFlight--;
      for (int i = 0; i < batch.size(); i++) {
        if (ar.succeeded()) {
          batch.get(i).answer().complete(ar.result().get(i));
        } else {
          batch.get(i).answer().fail(ar.cause());
        }
      }
      send();
    });
  }
}
