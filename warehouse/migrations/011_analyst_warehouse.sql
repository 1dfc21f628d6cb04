-- 011: times carry their zone, and every article names its live URL.
--
-- Times become TIMESTAMPTZ (an instant; clients show it in their own TimeZone setting). The stored
-- values were wall times without a zone: articles.published_at in Asia/Shanghai (as printed by the
-- paper), every other time in UTC (fetched, checked, loaded, failed, resolved, run and migration
-- times). Each is read in its zone here, so no instant moves.
ALTER TABLE articles ALTER published_at SET DATA TYPE TIMESTAMPTZ USING timezone('Asia/Shanghai', published_at);
ALTER TABLE articles ALTER fetched_at SET DATA TYPE TIMESTAMPTZ USING timezone('UTC', fetched_at);
ALTER TABLE articles ALTER loaded_at SET DATA TYPE TIMESTAMPTZ USING timezone('UTC', loaded_at);
ALTER TABLE pages ALTER fetched_at SET DATA TYPE TIMESTAMPTZ USING timezone('UTC', fetched_at);
ALTER TABLE pages ALTER checked_at SET DATA TYPE TIMESTAMPTZ USING timezone('UTC', checked_at);
ALTER TABLE failures ALTER first_failed_at SET DATA TYPE TIMESTAMPTZ USING timezone('UTC', first_failed_at);
ALTER TABLE failures ALTER last_failed_at SET DATA TYPE TIMESTAMPTZ USING timezone('UTC', last_failed_at);
ALTER TABLE failures ALTER resolved_at SET DATA TYPE TIMESTAMPTZ USING timezone('UTC', resolved_at);
ALTER TABLE runs ALTER started_at SET DATA TYPE TIMESTAMPTZ USING timezone('UTC', started_at);
ALTER TABLE runs ALTER finished_at SET DATA TYPE TIMESTAMPTZ USING timezone('UTC', finished_at);
ALTER TABLE layout_pages ALTER loaded_at SET DATA TYPE TIMESTAMPTZ USING timezone('UTC', loaded_at);
ALTER TABLE backfill_days ALTER finished_at SET DATA TYPE TIMESTAMPTZ USING timezone('UTC', finished_at);
ALTER TABLE schema_migrations ALTER applied_at SET DATA TYPE TIMESTAMPTZ USING timezone('UTC', applied_at);

-- The live site's URL of an article, whatever host served it: a URL on people.com.cn / people.cn
-- is its own (first page, no fragment), an e-paper path read from a mirror or saved copy goes on
-- paper.people.com.cn, a portal path on www.people.com.cn; NULL for any other page. The same rule
-- as etl.urls.live_url, which the loader fills articles.canonical_url with (tests hold the two to
-- each other); as a macro it fills the rows stored before, and views apply it to other URLs.
CREATE OR REPLACE MACRO live_url(url) AS CASE
    WHEN lower(regexp_extract(url, '^\s*([A-Za-z][A-Za-z0-9+.-]*)://', 1)) NOT IN ('http', 'https')
      OR regexp_extract(url, '^\s*[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]*)', 1) = ''
        THEN NULL
    WHEN regexp_matches(
            rtrim(lower(regexp_extract(url, '^\s*[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]*)', 1)), '.'),
            '(^|\.)people\.(com\.)?cn$')
        THEN lower(regexp_extract(url, '^\s*([A-Za-z][A-Za-z0-9+.-]*)://', 1)) || '://'
            || rtrim(lower(regexp_extract(url, '^\s*[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]*)', 1)), '.')
            || regexp_replace(regexp_extract(url, '^\s*[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*([^?#]*)', 1),
                '(/c\d+-\d+)-\d+\.html$', '\1.html')
            || regexp_extract(url, '^[^?#]*(\?[^#]*)?', 1)
    WHEN regexp_matches(regexp_extract(url, '^\s*[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*([^?#]*)', 1),
            '/rmrb(?:hwb)?/(?:pc|pad)/layout/\d{6}/\d{2}/node_\d{2}\.html$'
            || '|/rmrb(?:hwb)?/(?:pc|pad)/content/\d{6}/\d{2}/content_\d+\.html$'
            || '|/rmrb/html/\d{4}-\d{2}/\d{2}/nbs\.D110000renmrb_\d{2}\.htm$'
            || '|/rmrb/html/\d{4}-\d{2}/\d{2}/nw\.D110000renmrb_\d{8}_\d+-\d{2}\.htm$')
        THEN 'http://paper.people.com.cn' || regexp_extract(url, '^\s*[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*([^?#]*)', 1)
    WHEN regexp_matches(regexp_extract(url, '^\s*[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*([^?#]*)', 1),
            '/n[123]?/\d{4}/\d{4}/c\d+-\d+(?:-\d+)?\.html$')
        THEN 'http://www.people.com.cn'
            || regexp_replace(regexp_extract(url, '^\s*[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*([^?#]*)', 1),
                '(/c\d+-\d+)-\d+\.html$', '\1.html')
END;

ALTER TABLE articles ADD COLUMN canonical_url VARCHAR;
UPDATE articles SET canonical_url = live_url(url);
