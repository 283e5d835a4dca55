-- A cancel asked for while a run is RUNNING: kept so it survives the worker that should act on it.
ALTER TABLE runs ADD COLUMN cancel_requested_at timestamptz;
