-- jobsched schema v1: jobs (definitions + scheduling state) and runs (one row per fire attempt).

CREATE TABLE jobs (
  id             text        PRIMARY KEY,
  namespace      text        NOT NULL,
  name           text        NOT NULL,
  labels         jsonb       NOT NULL DEFAULT '{}'::jsonb,
  -- the whole definition as the API returns it (JobCodec.toJson), defaults filled in
  spec           jsonb       NOT NULL,
  schedule_type  text        NOT NULL,
  after_job_id   text,
  resource_class text        NOT NULL,
  priority       int         NOT NULL,
  paused         boolean     NOT NULL DEFAULT false,
  next_fire_at   timestamptz,
  shard          int         NOT NULL,
  version        bigint      NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- the scheduler's hot query: due jobs of the shards it owns
CREATE INDEX jobs_due_idx ON jobs (shard, next_fire_at) WHERE NOT paused AND next_fire_at IS NOT NULL;
CREATE INDEX jobs_namespace_idx ON jobs (namespace, id);
CREATE INDEX jobs_after_idx ON jobs (after_job_id) WHERE after_job_id IS NOT NULL;

CREATE TABLE runs (
  id             uuid        NOT NULL,
  job_id         text        NOT NULL,
  namespace      text        NOT NULL,
  scheduled_for  timestamptz NOT NULL,
  attempt        int         NOT NULL,
  trigger        text        NOT NULL,
  status         text        NOT NULL,
  reason         text,
  worker         text,
  -- fencing token of the claim that owns the run; every write after the claim is conditional on it
  token          bigint,
  resource_class text        NOT NULL,
  priority       int         NOT NULL,
  -- when the run may be claimed: scheduled_for, or later for a retry's backoff
  due_at         timestamptz NOT NULL,
  enqueued_at    timestamptz NOT NULL DEFAULT now(),
  started_at     timestamptz,
  finished_at    timestamptz,
  exit_code      int,
  error          text,
  context        jsonb,
  PRIMARY KEY (id, scheduled_for),
  -- one run per fire and attempt (RELIABILITY.md guarantee 1)
  UNIQUE (job_id, scheduled_for, attempt)
) PARTITION BY RANGE (scheduled_for);

CREATE TABLE runs_default PARTITION OF runs DEFAULT;

-- lookups by id use the primary key (id first); a job's history, newest first, scans the unique
-- (job_id, scheduled_for, attempt) index backwards: no further index is needed for either
CREATE INDEX runs_active_idx ON runs (status, due_at) WHERE status IN ('PENDING', 'RUNNING');

-- Creates the monthly partition holding `month` (any instant inside it), moving rows the default
-- partition already holds for that range. Idempotent.
CREATE FUNCTION jobsched_ensure_run_partition(month timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  lo timestamptz := date_trunc('month', month AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  hi timestamptz := (date_trunc('month', month AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
  part text := 'runs_' || to_char(lo AT TIME ZONE 'UTC', 'YYYY_MM');
BEGIN
  IF to_regclass(part) IS NOT NULL THEN
    RETURN;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE runs INCLUDING DEFAULTS)', part);
  EXECUTE format('WITH moved AS (DELETE FROM runs_default WHERE scheduled_for >= %L AND scheduled_for < %L RETURNING *)
                  INSERT INTO %I SELECT * FROM moved', lo, hi, part);
  EXECUTE format('ALTER TABLE runs ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
END;
$$;
