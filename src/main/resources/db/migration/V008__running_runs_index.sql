-- The reaper pages RUNNING runs (to restore leases Redis lost) every sweep. Along the unfinished-runs index it
-- had to visit every PENDING run a spike holds to find the few RUNNING ones (3 million buffers a sweep
-- through a 200,000-run spike). Only tasks still running 250 ms after their start are written RUNNING, so
-- this index costs quick runs nothing.
CREATE INDEX runs_running_idx ON runs (started_at, id) WHERE status = 'RUNNING';
