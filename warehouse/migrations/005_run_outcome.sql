-- 004: why a run ended the way it did, in one line: the signal that stopped it (status
-- 'interrupted'), the run deadline it reached, or the disk or warehouse trouble that failed it.
-- Statuses now: running | ok | partial | failed | interrupted (stopped by SIGTERM/SIGINT) | aborted (killed).
ALTER TABLE runs ADD COLUMN message VARCHAR;
