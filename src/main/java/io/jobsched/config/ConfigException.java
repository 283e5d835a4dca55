package io.jobsched.config;

/** A configuration value is missing or invalid; the message names the key (e.g. {@code postgres.port}). */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
