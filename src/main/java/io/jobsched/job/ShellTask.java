package io.jobsched.job;

import java.util.List;
import java.util.Map;

/** A command (argv, no shell unless you ask for one), extra environment and an optional working directory. */
public record ShellTask(List<String> command, Map<String, String> env, String workdir) implements TaskSpec {
  @Override
  public String type() {
    return "shell";
  }
}
