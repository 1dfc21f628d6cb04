-- 005: what kind of figure an indicator is, and where (docs/indicators.md, "convention v2"), so that
-- "growth by region" is a filter on columns instead of a pattern over `sentence`.
--   measure   level | growth | change | share | completion
--   basis     yoy | mom | base | '' (what a growth or change compares with; '' for the others)
--   province  the province-level unit containing `region`; 全国 for national figures
-- Rows loaded before this migration were extracted without these fields: they are NULL until the
-- article is extracted again (the extractor version is part of the content hash, so the next run
-- that sees the article rewrites its rows).
ALTER TABLE indicators ADD COLUMN measure VARCHAR;
ALTER TABLE indicators ADD COLUMN basis VARCHAR;
ALTER TABLE indicators ADD COLUMN province VARCHAR;
