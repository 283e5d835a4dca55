-- runs_active_idx led with status. For a partition without statistics yet (a fresh month, or a spike of
-- new rows before autovacuum analyzes them) the planner took "status = 'PENDING'" for selective and
-- answered primary-key lookups (start, finish) with a bitmap AND over that index: every active row read
-- per run. Partial indexes keyed by what their queries range over cannot be mistaken for selective.
DROP INDEX runs_active_idx;
-- the reaper's re-enqueue of PENDING runs Redis lost, by due time
CREATE INDEX runs_pending_due_idx ON runs (due_at) WHERE status = 'PENDING';
-- the reaper's check of RUNNING runs for leases Redis lost, by start time
CREATE INDEX runs_running_started_idx ON runs (started_at) WHERE status = 'RUNNING';
-- the overlap policies' question "does this job have an active run", without reading its history
CREATE INDEX runs_active_job_idx ON runs (job_id) WHERE status IN ('PENDING', 'RUNNING');

-- The promoter takes due jobs earliest first, LIMIT a batch, over all the shards a node owns: with only
-- (shard, next_fire_at) Postgres sorted every due job of the spike for each batch. In next_fire_at order
-- it reads just the batch (rows of shards another node owns are filtered out on the way).
CREATE INDEX jobs_next_fire_idx ON jobs (next_fire_at) WHERE NOT paused AND next_fire_at IS NOT NULL;

-- Refreshes the planner's statistics of the monthly partition holding `at`. Autovacuum analyzes a table
-- only after a naptime and a share of changed rows; a spike inserts 100,000 runs in seconds, and until
-- the partition has statistics the planner may mistake the partial indexes for selective and read every
-- active run per primary-key lookup. The scheduler calls this as its insertions grow.
CREATE FUNCTION jobsched_analyze_run_partition(at timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  part text := 'runs_' || to_char(date_trunc('month', at AT TIME ZONE 'UTC'), 'YYYY_MM');
BEGIN
  IF to_regclass(part) IS NOT NULL THEN
    EXECUTE format('ANALYZE %I', part);
  END IF;
END;
$$;
