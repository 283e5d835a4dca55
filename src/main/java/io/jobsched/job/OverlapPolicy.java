package io.jobsched.job;

/** A fire while a run of the same job is active: run anyway, skip it, or replace the active run. */
public enum OverlapPolicy { ALLOW, FORBID, REPLACE }
