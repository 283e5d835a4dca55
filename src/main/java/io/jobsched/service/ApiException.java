package io.jobsched.service;

import io.jobsched.job.FieldError;

import java.util.List;

/** A request that cannot be served, with the HTTP status and the error code API.md names. */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final List<FieldError> details;

  public ApiException(int status, String code, String message, List<FieldError> details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  public ApiException(int status, String code, String message) {
    this(status, code, message, List.of());
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "not_found", what + " not found");
  }

  /** Field errors as one exception: the first in the message, all of them in {@code details}. */
  public static ApiException invalid(String code, int status, List<FieldError> details) {
    FieldError first = details.get(0);
    String more = details.size() > 1 ? " (and " + (details.size() - 1) + " more)" : "";
    return new ApiException(status, code, first.field() + ": " + first.message() + more, details);
  }

  public static ApiException badRequest(String field, String message) {
    return new ApiException(400, "invalid_request", field + ": " + message, List.of(new FieldError(field, message)));
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<FieldError> details() {
    return details;
  }
}
