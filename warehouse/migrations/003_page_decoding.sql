-- 003: how many bytes of a page's body did not decode and were replaced by U+FFFD (0 for a clean
-- page; NULL when no body was decoded), so damaged pages can be found and judged.
ALTER TABLE pages ADD COLUMN decode_errors INTEGER;
