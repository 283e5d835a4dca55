package io.jobsched.job;

import java.util.List;

/** A job definition that cannot be accepted; lists every problem found, each with its field path. */
public class JobValidationException extends RuntimeException {
  private final String code;
  private final int status;
  private final List<FieldError> details;

  public JobValidationException(String code, int status, List<FieldError> details) {
    super(details.isEmpty() ? code : details.get(0).field() + ": " + details.get(0).message());
    this.code = code;
    this.status = status;
    this.details = List.copyOf(details);
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  public List<FieldError> details() {
    return details;
  }
}
