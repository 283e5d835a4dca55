package io.jobsched.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts the real services with scripts/services.sh, for tests that take one away. The script gets
 * the state folder and ports the services were started with: `services.sh node-env` keeps them for the tests
 * as {@code IT_JOBSCHED_*} (the node itself would reject unknown {@code JOBSCHED_*} keys).
 */
final class Services {
  private static final String KEPT = "IT_";

  private Services() {
  }

  /** The services' state folder ({@code JOBSCHED_HOME} of scripts/services.sh). */
  static Path home() {
    String home = System.getenv(KEPT + "JOBSCHED_HOME");
    return home == null || home.isBlank() ? Path.of(".jobsched").toAbsolutePath() : Path.of(home);
  }

  /** {@code scripts/services.sh <args>}; fails with the script's output when it does not exit 0 within 5 minutes. */
  static void run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/services.sh"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("services", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      System.getenv().forEach((k, v) -> {
        if (k.startsWith(KEPT + "JOBSCHED_")) {
          pb.environment().put(k.substring(KEPT.length()), v);
        }
      });
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("scripts/services.sh " + String.join(" ", args) + " did not finish:\n" + Files.readString(out));
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("scripts/services.sh " + String.join(" ", args) + " exited " + p.exitValue() + ":\n"
            + Files.readString(out));
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
