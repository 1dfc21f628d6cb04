-- 009: a run's state says how its own pages went. Open failures of earlier runs that a run retries
-- on the side (other days, other ingests) are counted apart and never make the run fail.
--   scope          what the run was for: the issue day of a daily e-paper run, the portal run's
--                  since day, the number of URLs an ingest was named
--   retried        open failures of earlier runs retried by this run
--   retry_failures those of them that failed again (still open, in `etl failures`)
-- Statuses now also include 'empty': an e-paper run that found no paper to load (no 版面, or 版面
-- without articles) although nothing failed.
ALTER TABLE runs ADD COLUMN scope VARCHAR;
ALTER TABLE runs ADD COLUMN retried INTEGER DEFAULT 0;
ALTER TABLE runs ADD COLUMN retry_failures INTEGER DEFAULT 0;

-- One row per issue day a backfill finished: 'loaded' (the day's pages all loaded) or 'not_served'
-- (every 版面 of the day answered 404 or a page saying it does not exist). A restarted backfill
-- skips these days; a day whose run failed has no row and is tried again.
CREATE TABLE backfill_days (
    day         DATE PRIMARY KEY,
    outcome     VARCHAR NOT NULL,      -- loaded | not_served
    run_id      VARCHAR,               -- the daily run that finished the day
    finished_at TIMESTAMP NOT NULL,
    message     VARCHAR
);
