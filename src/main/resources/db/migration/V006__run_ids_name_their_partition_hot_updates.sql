-- 1. Run ids carry their scheduled_for (UUID v7 whose timestamp is the fire's millisecond, io.jobsched.run.RunIds),
--    so a statement addressing a run by id can name its one partition: START read the id index of every
--    monthly partition for each run it started. Follow-ups made in SQL take theirs from this function.
CREATE FUNCTION jobsched_run_id(at timestamptz) RETURNS uuid
LANGUAGE sql VOLATILE AS $$
  SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
    substring(int8send(floor(extract(epoch FROM at) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
    52, 1), 53, 1), 'hex')::uuid
$$;
-- its clock-based predecessor (V004) is not used any more
DROP FUNCTION jobsched_uuid_v7();

-- PENDING runs made before this carry ids that name no partition: new ids. Their old Redis entries are
-- dropped as stale when claimed (no PENDING row), and the reaper queues the new ids.
UPDATE runs SET id = jobsched_run_id(scheduled_for)
  WHERE status = 'PENDING'
    AND ('x' || left(replace(id::text, '-', ''), 12))::bit(48)::bigint
        <> floor(extract(epoch FROM scheduled_for) * 1000)::bigint;

-- 2. HOT updates. Starting a run changed status, which the partial indexes' predicates read, so every start
--    wrote a new tuple elsewhere and an entry into every index. The active-run indexes are now keyed on
--    finished_at, which a start does not touch: a start updates in place (heap-only), and only the finish,
--    which must leave those indexes anyway, writes index entries. Partitions leave room on each page for
--    the in-place versions.
DROP INDEX runs_pending_due_idx;
DROP INDEX runs_running_started_idx;
DROP INDEX runs_active_job_idx;
-- the reaper: PENDING runs Redis may have lost, by due time; RUNNING runs whose lease Redis may have lost,
-- paged by (due_at, id)
CREATE INDEX runs_unfinished_due_idx ON runs (due_at, id) WHERE finished_at IS NULL;
-- the overlap policies' question "does this job have an unfinished run", without reading its history
CREATE INDEX runs_unfinished_job_idx ON runs (job_id) WHERE finished_at IS NULL;

CREATE OR REPLACE FUNCTION jobsched_ensure_run_partition(month timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  lo timestamptz := date_trunc('month', month AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  hi timestamptz := (date_trunc('month', month AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
  part text := 'runs_' || to_char(lo AT TIME ZONE 'UTC', 'YYYY_MM');
BEGIN
  IF to_regclass(part) IS NOT NULL THEN
    RETURN;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE runs INCLUDING DEFAULTS) WITH (fillfactor = 70)', part);
  EXECUTE format('WITH moved AS (DELETE FROM runs_default WHERE scheduled_for >= %L AND scheduled_for < %L RETURNING *)
                  INSERT INTO %I SELECT * FROM moved', lo, hi, part);
  EXECUTE format('ALTER TABLE runs ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
END;
$$;

DO $$
DECLARE
  part regclass;
BEGIN
  FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'runs'::regclass LOOP
    EXECUTE format('ALTER TABLE %s SET (fillfactor = 70)', part);
  END LOOP;
END;
$$;

-- 3. The promoter reads due jobs in next_fire_at order from jobs_next_fire_idx (V003); this index only
--    cost every next_fire_at advance an entry.
DROP INDEX jobs_due_idx;
