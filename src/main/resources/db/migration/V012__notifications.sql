-- The notification outbox (issue 13): one row per (run, notify rule) a run's final outcome owes, inserted by
-- the same statement that records the outcome (store.RunResults' FINISH, the promoter's run insert for
-- SKIPPED fires, the overlap skip), so an acknowledged outcome never loses its notifications. Only jobs with
-- rules write here: no trigger and no column on the hot, partitioned runs table.
--   target: the rule's target as it was when the outcome was recorded ({"type":"webhook","url","headers"} or
--           {"type":"eventbus","address"}), so later edits of the job do not redirect a pending delivery.
--   attempts: deliveries tried (counted when a dispatcher claims the row); next_attempt_at: when the row is
--           due, pushed ahead by a claim as its lease and by a failure as its backoff.
-- No foreign key to runs: runs is partitioned by month and its old months move to the cold tier.
CREATE TABLE notifications (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  run_id            uuid NOT NULL,
  run_scheduled_for timestamptz NOT NULL,
  job_id            text NOT NULL,
  rule_index        int NOT NULL,
  event             text NOT NULL CHECK (event IN ('success', 'failure', 'timeout', 'skipped')),
  target            jsonb NOT NULL,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts          int NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  last_error        text,
  sent_at           timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  -- a repeated statement cannot owe a run's rule twice; also the run's lookup (GET /runs/{id})
  UNIQUE (run_id, rule_index)
);

-- the dispatchers' poll: only what is still to send, in due order (a small index however much was sent)
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending';

-- the pruner's walk: settled rows by age (notify.keep_days)
CREATE INDEX notifications_settled ON notifications (created_at) WHERE status <> 'pending';
