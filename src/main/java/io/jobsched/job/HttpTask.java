package io.jobsched.job;

import java.net.URI;
import java.util.Map;

/** An HTTP request; a 2xx answer is success. */
public record HttpTask(String method, URI url, Map<String, String> headers, String body) implements TaskSpec {
  @Override
  public String type() {
    return "http";
  }
}
