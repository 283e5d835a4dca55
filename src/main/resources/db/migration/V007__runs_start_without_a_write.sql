-- A run is no longer moved to RUNNING before its task starts: a worker claims it in Redis, reads it, and
-- starts the task at its instant; RUNNING is written only for a task that is still running a moment later
-- (or before an overlap check), and a quick task's result is written straight from PENDING. The claim's
-- token then reaches Postgres with the first write, so a claim the reaper has taken away must be refused
-- without one: fence is the highest token of such a claim, and no write under a token at or below it is
-- accepted.
ALTER TABLE runs ADD COLUMN fence bigint;
