-- Months of run history moved to the cold tier (Parquet files under history.cold_dir, see the history
-- package). A month is entered here only after its files were read back and matched the partition's row
-- count and checksum, in the same transaction that drops the partition: a month is always in exactly one tier.
CREATE TABLE run_archives (
  month date PRIMARY KEY,            -- the first day of the month (UTC) the partition held
  files jsonb NOT NULL,              -- [{"name", "rows", "checksum", "first_namespace", "last_namespace"}]
  rows bigint NOT NULL,
  checksum text NOT NULL,            -- RowChecksum: "<rows>:<sum of row hashes, hex>"
  archived_at timestamptz NOT NULL DEFAULT now()
);
