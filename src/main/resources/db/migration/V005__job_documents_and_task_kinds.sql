-- 1. jobs.spec held the API's JSON of a job; it now holds the store's own document (store.JobDocument),
--    so the API and the stored form can change apart. Rewrites the definitions stored in the API's form
--    (they have "resources"; documents have "resource_class").
UPDATE jobs SET spec = jsonb_build_object(
    'id', spec->'id', 'namespace', spec->'namespace', 'name', spec->'name', 'labels', spec->'labels',
    'schedule', CASE spec->'schedule'->>'type'
        WHEN 'cron' THEN jsonb_build_object('type', 'cron', 'expression', spec->'schedule'->'expression',
                                            'zone', spec->'schedule'->'timezone')
        WHEN 'after' THEN jsonb_build_object('type', 'after', 'job_id', spec->'schedule'->'job_id',
                                             'on', upper(spec->'schedule'->>'on'))
        ELSE spec->'schedule' END,
    'task', spec->'task',
    'resource_class', spec->'resources'->'class',
    'timeout', spec->'timeout',
    'on_timeout', jsonb_build_object('action', upper(spec->'on_timeout'->>'action'),
                                     'handler_job_id', spec->'on_timeout'->'handler_job_id',
                                     'grace', spec->'on_timeout'->'grace'),
    'retry', spec->'retry',
    'priority', spec->'priority',
    'overlap', upper(spec->>'overlap'),
    'misfire', jsonb_build_object('policy', upper(spec->'misfire'->>'policy'), 'window', spec->'misfire'->'window'))
  WHERE spec ? 'resources';

-- 2. What SQL filters on is a column, never a path inside the document: the outcome an after-job waits for,
--    and the task kind, which with the resource class picks a run's ready queue (workers may refuse kinds).
ALTER TABLE jobs ADD COLUMN after_on text;
ALTER TABLE jobs ADD COLUMN task_kind text;
UPDATE jobs SET task_kind = spec->'task'->>'type',
                after_on = CASE WHEN schedule_type = 'after' THEN lower(spec->'schedule'->>'on') END;
ALTER TABLE jobs ALTER COLUMN task_kind SET NOT NULL;

ALTER TABLE runs ADD COLUMN task_kind text;
UPDATE runs r SET task_kind = j.task_kind FROM jobs j WHERE j.id = r.job_id;
-- runs of deleted jobs: a worker ends an active one "job deleted" as soon as it claims it
UPDATE runs SET task_kind = 'noop' WHERE task_kind IS NULL;
ALTER TABLE runs ALTER COLUMN task_kind SET NOT NULL;
