package io.jobsched;

import io.jobsched.config.ConfigException;
import io.jobsched.config.ConfigLoader;
import io.jobsched.config.JobschedConfig;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code java -jar jobsched.jar}: reads conf/jobsched.json (or $JOBSCHED_CONF) plus JOBSCHED_* overrides. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) throws InterruptedException {
    JobschedConfig cfg;
    try {
      cfg = ConfigLoader.load(System.getenv());
    } catch (ConfigException e) {
      System.err.println("jobsched: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch started = new CountDownLatch(1);
    Node[] node = new Node[1];
    Throwable[] failure = new Throwable[1];
    Node.start(cfg).onComplete(ar -> {
      node[0] = ar.result();
      failure[0] = ar.cause();
      started.countDown();
    });
    started.await();
    if (failure[0] != null) {
      System.err.println("jobsched: start-up failed: " + failure[0].getMessage());
      System.exit(1);
    }
    System.out.println("jobsched: node " + node[0].id() + " up"
        + (node[0].httpPort() > 0 ? "; API and dashboard at http://" + cfg.http().host() + ":" + node[0].httpPort() : ""));
    // SIGTERM / Ctrl-C: undeploy so workers stop claiming and drain, then leave the cluster
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      CountDownLatch closed = new CountDownLatch(1);
      node[0].close().onComplete(ar -> closed.countDown());
      try {
        closed.await(cfg.worker().drainMs() + 20_000L, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "jobsched-shutdown"));
  }
}
