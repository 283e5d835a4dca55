-- Resource sizes (issue 13): what one run of a job reserves on its worker, as "<cpu_milli>,<memory_mb>,<gpu>"
-- (job.Needs#wire). NULL is the default and means "no reservation": such runs take only their class and
-- kind slots and keep the unsized claim path, so every job and run from before this migration is unchanged.
-- A column, not a path in jobs.spec: the follow-up inserts (timeout handler, chained runs) copy it from the
-- job row as they copy resource_class. Adding a nullable column without a default rewrites no rows.
ALTER TABLE jobs ADD COLUMN needs text;
ALTER TABLE runs ADD COLUMN needs text;
