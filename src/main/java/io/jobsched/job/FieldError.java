package io.jobsched.job;

/** One problem with one field of a request, e.g. {@code schedule.expression}. */
public record FieldError(String field, String message) {}
