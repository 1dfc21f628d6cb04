-- 007: an old e-paper article's content id is stored in the one form the ETL uses for it, the id
-- inside its source key (epaper-old:20190301_3-04 -> '20190301_3-04'), no longer with the paper's
-- prefix ('D110000renmrb_20190301_3-04'). Only this column changes: article ids are hashes of the
-- source key, which is the same as before, so no row is re-keyed and a re-run adds no duplicate.
UPDATE articles
SET content_id = regexp_replace(content_id, '^[Dd][0-9]+[A-Za-z]+_([0-9]{8}_[0-9]+-[0-9]+)$', '\1')
WHERE regexp_full_match(content_id, '[Dd][0-9]+[A-Za-z]+_[0-9]{8}_[0-9]+-[0-9]+');
