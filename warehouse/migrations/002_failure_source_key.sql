-- 002: a failure remembers which article it was (the source key: e-paper or portal content id), so
-- it is resolved when that article loads from another host or port (a mirror, a saved copy), not
-- only from the exact URL that failed.
ALTER TABLE failures ADD COLUMN source_key VARCHAR;
UPDATE failures SET source_key = url WHERE source_key IS NULL;
