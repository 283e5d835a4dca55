package io.jobsched.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;

import java.util.List;

/**
 * Times GETs sent one at a time over one kept-alive connection, each timed on the client's event loop from
 * the request's start to its body's end. The JDK's {@code java.net.http} client hands each request to a
 * selector thread and the answer to an executor: on two shared cores those hand-offs alone measured p99
 * 5.1–9.6 ms for {@code /api/v1/whoami}, which a raw socket had answered at p99 0.4 ms, so that client's
 * latency hid the node's.
 */
final class SequentialGets implements AutoCloseable {
  private final Vertx vertx;
  private final HttpClientAgent client;
  private final int port;

  SequentialGets(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(1));
  }

  /**
   * Milliseconds of each GET of {@code paths} but the first {@code warmUp}, which are sent untimed; fails on a
   * non-200 answer.
   */
  Future<double[]> time(List<String> paths, int warmUp) {
    double[] ms = new double[paths.size() - warmUp];
    Promise<double[]> done = Promise.promise();
    vertx.runOnContext(x -> next(paths, warmUp, 0, ms, done));
    return done.future();
  }

  private void next(List<String> paths, int warmUp, int i, double[] ms, Promise<double[]> done) {
    if (i == paths.size()) {
      done.complete(ms);
      return;
    }
    String path = paths.get(i);
    long t0 = System.nanoTime();
    client.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(req -> req.send().compose(resp -> resp.body().map(body -> {
          if (resp.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + resp.statusCode() + " " + body);
          }
          return body;
        })))
        .onSuccess(body -> {
          if (i >= warmUp) {
            ms[i - warmUp] = (System.nanoTime() - t0) / 1e6;
          }
          next(paths, warmUp, i + 1, ms, done);
        })
        .onFailure(done::fail);
  }

  @Override
  public void close() throws Exception {
    BenchSupport.await(client.close());
  }
}
