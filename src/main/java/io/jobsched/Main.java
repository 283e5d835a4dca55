package io.jobsched;

import io.jobsched.config.ConfigException;
import io.jobsched.config.ConfigLoader;
import io.jobsched.config.JobschedConfig;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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
    Runnable shutdown = shutdownOnce(node[0], cfg.worker().drainMs() + 20_000L);
    // SIGTERM / Ctrl-C: undeploy so workers stop claiming, drain and hand back, then leave the cluster and
    // exit 0, since stopping on request is a success (a supervisor must not count it as a crash)
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), sig -> new Thread(() -> {
        shutdown.run();
        System.exit(0);
      }, "jobsched-signal-" + name).start());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "jobsched-shutdown"));
  }

  /** Closes the node at most once, waiting up to {@code waitMs}, whichever of signal and hook comes first. */
  private static Runnable shutdownOnce(Node node, long waitMs) {
    CountDownLatch closed = new CountDownLatch(1);
    AtomicBoolean started = new AtomicBoolean();
    return () -> {
      if (started.compareAndSet(false, true)) {
        node.close().onComplete(ar -> closed.countDown());
      }
      try {
        closed.await(waitMs, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }
}
