-- 010: what an `etl reprocess` run changed, on its `runs` row (NULL for crawl runs): archived
-- articles read again, how many of them got different indicators, and the indicator rows added and
-- removed, in all and per metric (`indicator_changes`, JSON: {"metric": {"added": n, "removed": n}}).
ALTER TABLE runs ADD COLUMN articles_reprocessed INTEGER;
ALTER TABLE runs ADD COLUMN articles_indicators_changed INTEGER;
ALTER TABLE runs ADD COLUMN indicators_added INTEGER;
ALTER TABLE runs ADD COLUMN indicators_removed INTEGER;
ALTER TABLE runs ADD COLUMN indicator_changes VARCHAR;
