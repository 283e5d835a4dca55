package io.jobsched.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stops and starts the real services with scripts/services.sh, for tests that take one away. */
final class Services {
  private Services() {
  }

  /** {@code scripts/services.sh <args>}; fails with the script's output when it does not exit 0 within 5 minutes. */
  static void run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/services.sh"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("services", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
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
