package io.jobsched.job;

/** What a recorded job version did to the job (the {@code change} of {@code GET /jobs/{id}/versions}). */
public enum JobChange {
  CREATE, REPLACE, PAUSE, RESUME, DELETE, ROLLBACK;

  /** As the API and the {@code job_versions} table write it. */
  public String wire() {
    return name().toLowerCase();
  }

  public static JobChange fromWire(String s) {
    return valueOf(s.toUpperCase());
  }
}
