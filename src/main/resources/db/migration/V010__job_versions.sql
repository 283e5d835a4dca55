-- 1. Job versions: an immutable row per change of a job (create, replace, pause, resume, delete, rollback),
--    written in the transaction of the change itself, so an acknowledged change always has its row and a
--    failed one has none. version is the job's own version number (jobs.version, the API's ETag) at that
--    change: 1, 2, 3... per job id without gaps, and a job re-created under a deleted id goes on from the
--    deleted one's last number, so (job_id, version) names one definition forever. Rows outlive the job.
CREATE TABLE job_versions (
  job_id        text        NOT NULL,
  version       bigint      NOT NULL,
  namespace     text        NOT NULL,
  -- create | replace | pause | resume | delete | rollback
  change        text        NOT NULL,
  -- the definition after the change, as jobs.spec holds it (store.JobDocument); a delete keeps the last one
  spec          jsonb       NOT NULL,
  paused        boolean     NOT NULL,
  -- the API's top-level fields that differ from the version before (["schedule","timeout"]); "paused" for
  -- pause and resume
  changed_fields jsonb      NOT NULL,
  -- the token's name (or "token sha256:<12 hex>" for an unnamed one; "anonymous" with auth off; "eventbus")
  changed_by    text,
  changed_at    timestamptz NOT NULL DEFAULT now(),
  -- a rollback: the version whose definition it restored
  restored_from bigint,
  PRIMARY KEY (job_id, version)
);

-- 2. The job version a run's fire was planned with (null for runs made before this migration).
ALTER TABLE runs ADD COLUMN job_version bigint;

-- 3. Jobs that exist already get their current definition as a first recorded version, so every job has one.
INSERT INTO job_versions (job_id, version, namespace, change, spec, paused, changed_fields, changed_by, changed_at)
  SELECT id, version, namespace, 'create', spec, paused, '[]'::jsonb, NULL, updated_at FROM jobs;
