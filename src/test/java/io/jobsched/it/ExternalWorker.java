package io.jobsched.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * A worker-only node in a JVM of its own, started from the shaded jar like production, so a test can
 * crash it for real: SIGKILL, or SIGSTOP past its lease and SIGCONT. Unclustered: it needs only Postgres
 * and Redis, and cancels reach it through the heartbeat's check of recorded requests.
 */
final class ExternalWorker implements AutoCloseable {
  private static final Path JAR = Path.of("target/jobsched.jar");

  private final String id;
  private final Process process;
  private final Path output;

  private ExternalWorker(String id, Process process, Path output) {
    this.id = id;
    this.process = process;
    this.output = output;
  }

  /** Starts node {@code nodeId} with the test node's isolation (database, Redis prefix) and waits until it is up. */
  static ExternalWorker start(String isolation, String nodeId) throws Exception {
    return start(isolation, nodeId, conf -> { });
  }

  /** As {@link #start(String, String)}, with {@code tweak} applied to the worker's configuration last. */
  static ExternalWorker start(String isolation, String nodeId, Consumer<JsonObject> tweak) throws Exception {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: integration tests run after `mvn package`");
    }
    JsonObject conf = TestNode.isolatedConfig(isolation);
    conf.getJsonObject("node").put("id", nodeId).put("roles", new JsonArray().add("worker"));
    conf.getJsonObject("cluster").put("enabled", false);
    tweak.accept(conf);
    Path dir = Files.createTempDirectory("jobsched-" + nodeId);
    Path confFile = dir.resolve("jobsched.json");
    Files.writeString(confFile, conf.encodePrettily());
    Path output = dir.resolve("out.log");
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-jar", JAR.toString())
        .redirectErrorStream(true).redirectOutput(output.toFile());
    // the whole configuration is in the file: no override from this JVM's environment may change it
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("JOBSCHED_"));
    env.put("JOBSCHED_CONF", confFile.toString());
    ExternalWorker worker = new ExternalWorker(nodeId + "/worker-1", pb.start(), output);
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> worker.output().contains(" up with roles")
          || !worker.process.isAlive());
    } catch (RuntimeException | Error e) {
      worker.close();   // a node that did not come up in time must not outlive the test
      throw e;
    }
    if (!worker.process.isAlive()) {
      throw new IllegalStateException("worker " + nodeId + " exited: " + worker.output());
    }
    return worker;
  }

  /** The worker id its runs record ({@code <node>/worker-1}). */
  String id() {
    return id;
  }

  String output() throws IOException {
    return Files.readString(output);
  }

  /**
   * SIGKILL of the worker and its task processes at once, as a supervisor kills a control group (systemd's
   * {@code KillMode=control-group}, a pod): the JVM is frozen first, so it cannot see a task die and record
   * that, then its descendants and the JVM are killed. Without this the tasks of a killed JVM would run on as
   * orphans (see the README), and an execution "killed with its worker" would still complete.
   */
  void kill() throws Exception {
    if (process.isAlive()) {
      signal("STOP");
    }
    List<ProcessHandle> tasks = process.descendants().toList();
    tasks.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, as a deploy or {@code docker stop} does; waits for the JVM to exit and returns its exit code. */
  int terminate(Duration within) throws Exception {
    sigterm();
    return awaitExit(within);
  }

  /** Sends SIGTERM and returns at once. */
  void sigterm() {
    process.destroy();
  }

  /** Waits for the JVM to exit and returns its exit code. */
  int awaitExit(Duration within) throws Exception {
    if (!process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("worker " + id + " did not exit within " + within + " of SIGTERM");
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  void pause() throws Exception {
    signal("STOP");
  }

  void resume() throws Exception {
    signal("CONT");
  }

  /**
   * SIGSTOP of the JVM and its task processes, as a frozen VM or a paused container ({@code docker pause}, the
   * cgroup freezer) stops them all; {@link #thaw} continues them together.
   */
  void freeze() throws Exception {
    signal("STOP");
    for (ProcessHandle task : process.descendants().toList()) {
      signal("STOP", task.pid());
    }
  }

  void thaw() throws Exception {
    signal("CONT");
    for (ProcessHandle task : process.descendants().toList()) {
      signal("CONT", task.pid());
    }
  }

  private void signal(String name) throws Exception {
    signal(name, process.pid());
  }

  /** A task may end between listing and signalling it: only the JVM itself must receive the signal. */
  private void signal(String name, long pid) throws Exception {
    int rc = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    if (rc != 0 && pid == process.pid()) {
      throw new IllegalStateException("kill -" + name + " failed: " + rc);
    }
  }

  /** Kills what is left of the worker, task processes included, so no test leaves orphans behind. */
  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      kill();
    }
  }
}
