-- Follow-up runs (a timeout handler's run, a chained run) were keyed by (job_id, scheduled_for, attempt)
-- with scheduled_for = now(). Every row of one statement sees the same now(), so two timed-out runs sharing
-- a handler job, or two runs of one upstream job whose results were recorded in one batch, collided, and
-- ON CONFLICT DO NOTHING dropped all but one of their follow-ups. A run is now keyed by what caused it as
-- well: caused_by is the run whose result created it (its retries keep it), the run itself for a manual
-- trigger, and the nil uuid for the schedule's own fires, which stay one run per (job, fire, attempt).
ALTER TABLE runs ADD COLUMN caused_by uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
ALTER TABLE runs DROP CONSTRAINT runs_job_id_scheduled_for_attempt_key;
ALTER TABLE runs ADD CONSTRAINT runs_fire_key UNIQUE (job_id, scheduled_for, attempt, caused_by);

-- Time-ordered run ids (UUID version 7, like io.jobsched.run.RunIds) for runs created inside SQL: the
-- milliseconds of the clock in the first 48 bits, then version 7 over a random version-4 uuid.
CREATE FUNCTION jobsched_uuid_v7() RETURNS uuid
LANGUAGE sql VOLATILE AS $$
  SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
    substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
    52, 1), 53, 1), 'hex')::uuid
$$;
