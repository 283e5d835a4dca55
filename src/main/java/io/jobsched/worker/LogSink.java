package io.jobsched.worker;

/** Receives a task's output line by line; callable from any thread. */
@FunctionalInterface
public interface LogSink {
  void line(String stream, String line);
}
