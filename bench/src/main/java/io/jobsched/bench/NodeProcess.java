package io.jobsched.bench;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The shipped jar started as scripts/dev.sh starts it, output to a file. */
record NodeProcess(Process process, Path log) {
  /** A node on its own database, key prefix, index prefix and cluster name ({@code isolation}). */
  static NodeProcess startIsolated(String isolation, int port, List<String> jvmArgs, Map<String, String> extraEnv)
      throws Exception {
    Map<String, String> env = new java.util.HashMap<>(extraEnv);
    env.putAll(Map.of("JOBSCHED_POSTGRES_DATABASE", isolation, "JOBSCHED_REDIS_PREFIX", isolation,
        "JOBSCHED_ELASTICSEARCH_INDEX_PREFIX", isolation + "-logs", "JOBSCHED_CLUSTER_NAME", isolation,
        "JOBSCHED_HTTP_PORT", Integer.toString(port)));
    return start(port, jvmArgs, env);
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static NodeProcess start(int port, List<String> jvmArgs, Map<String, String> env) throws Exception {
    Path log = Files.createTempFile("jobsched-bench-node", ".log");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // exactly the options scripts/dev.sh starts a node with
    Files.readAllLines(Path.of("conf/jvm.options")).stream().map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(cmd::add);
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", new File("target/jobsched.jar").getAbsolutePath()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    NodeProcess node = new NodeProcess(pb.start(), log);
    HttpClient probe = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(120);
    while (true) {
      if (!node.process.isAlive()) {
        throw new IllegalStateException("the node exited: " + Files.readString(log));
      }
      try {
        HttpResponse<String> health = probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200) {
          return node;
        }
      } catch (java.io.IOException notYet) {
        // still starting
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the node did not come up in 120 s: " + Files.readString(log));
      }
      Thread.sleep(200); // a benchmark waiting for a process to start, not test synchronisation
    }
  }

  long pid() {
    return process.pid();
  }

  /** VmHWM: the most resident memory the process has had. */
  long peakRssBytes() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  /** SIGTERM, as a deploy would: the node drains and exits. */
  void stop() throws Exception {
    process.destroy();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
