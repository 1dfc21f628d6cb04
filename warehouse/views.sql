-- Analyst views. Recreated after every migration, so they always match the tables.

CREATE OR REPLACE VIEW v_indicators AS
SELECT
    i.indicator_id,
    a.published_date,
    a.title,
    a.page,
    a.page_name,
    i.metric,
    -- What kind of figure (docs/indicators.md, convention v2): filter on measure/basis, not on sentence.
    i.measure,
    i.basis,
    i.value,
    i.unit,
    i.qualifier,
    i.period,
    i.period_start,
    i.period_end,
    i.region,
    i.province,
    i.raw,
    i.sentence,
    i.source,
    i.image_position,
    -- A caption often repeats a figure of the body; filter on this before summing.
    (i.source = 'caption' AND EXISTS (
        SELECT 1 FROM indicators b
        WHERE b.article_id = i.article_id AND b.source = 'body' AND b.value = i.value AND b.unit = i.unit
    )) AS caption_repeats_body,
    i.char_start,
    i.char_end,
    i.extractor_version,
    a.url,
    a.canonical_url,
    a.article_id
FROM indicators i
JOIN articles a USING (article_id);

CREATE OR REPLACE VIEW v_captions AS
SELECT a.published_date, a.title, a.url, a.canonical_url, img.article_id, img.position, img.caption, img.credit, img.src
FROM images img
JOIN articles a USING (article_id);

CREATE OR REPLACE VIEW v_open_failures AS
SELECT url, live_url(url) AS canonical_url, kind, stage, reason, http_status, attempts, failure_count,
    first_failed_at, last_failed_at,
    retry  -- transient | gone | never: what the next runs do about it
FROM failures
WHERE resolved_at IS NULL;

CREATE OR REPLACE VIEW v_daily_summary AS
SELECT
    a.published_date,
    count(DISTINCT a.article_id) AS articles,
    count(DISTINCT a.page) AS pages,
    (SELECT count(*) FROM images img JOIN articles b USING (article_id)
      WHERE b.published_date = a.published_date) AS images,
    (SELECT count(*) FROM indicators i JOIN articles b USING (article_id)
      WHERE b.published_date = a.published_date) AS indicators
FROM articles a
GROUP BY a.published_date;

-- Which template read the articles of each host. `generic` rows were read by the fallback for layouts
-- no template knows: each such host needs a template (docs/adding_a_template.md).
CREATE OR REPLACE VIEW v_template_use AS
SELECT
    regexp_extract(url, '^[A-Za-z]+://([^/:]+)', 1) AS host,
    template,
    count(*) AS articles,
    min(loaded_at) AS first_loaded,
    max(loaded_at) AS last_loaded,
    arg_max(url, loaded_at) AS latest_url,
    arg_max(canonical_url, loaded_at) AS latest_canonical_url
FROM articles
GROUP BY ALL;
