-- 012: what an article was read from and by which parser, so a re-run can skip a page whose body,
-- parser version and extractor version are all as when it was loaded (nothing parsed, extracted or
-- rewritten), and the run counter saying how many pages it skipped that way.
ALTER TABLE articles ADD COLUMN parser_version VARCHAR;   -- etl.parse.PARSER_VERSION that read it
-- Digest of the one page body the article was read from (its sha256, the raw-archive key) and of
-- what the 版面 page said about it (page, page name, editors, issue day, link text); NULL for an
-- article merged from continuation pages, which is always read again.
ALTER TABLE articles ADD COLUMN source_digest VARCHAR;
ALTER TABLE runs ADD COLUMN pages_skipped_unchanged INTEGER DEFAULT 0;
