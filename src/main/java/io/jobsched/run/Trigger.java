package io.jobsched.run;

/** Why a run exists. Serialized lowercase in the API. */
public enum Trigger {
  SCHEDULE, MANUAL, RETRY, AFTER, TIMEOUT_HANDLER, MISFIRE;

  public String wire() {
    return name().toLowerCase();
  }

  public static Trigger fromWire(String s) {
    return valueOf(s.toUpperCase());
  }
}
