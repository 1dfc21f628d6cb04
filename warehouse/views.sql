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

-- Per issue date and site (epaper: the 人民日报 e-paper, portal: 人民网 and every other article
-- page): 版面 seen and 广告 pages skipped (from layout_pages; the portal has no 版面), articles, their
-- images and indicators, and the pages of that date that failed (open: not loaded since). A failed
-- page's date and site are read from its URL (the same URL grammar as etl.urls); a failure whose
-- URL carries no date (a sitemap) has no published_date.
CREATE OR REPLACE VIEW v_daily AS
WITH article_site AS (
    SELECT article_id, published_date,
        CASE WHEN regexp_matches(url, '/rmrb(hwb)?/(pc/|pad/|html/)') THEN 'epaper' ELSE 'portal' END AS site
    FROM articles
),
layout_days AS (
    SELECT issue_date AS published_date, 'epaper' AS site,
        count(*) AS pages, count(*) FILTER (WHERE ad_page) AS ad_pages_skipped
    FROM layout_pages
    GROUP BY ALL
),
article_days AS (
    SELECT published_date, site, count(*) AS articles FROM article_site GROUP BY ALL
),
image_days AS (
    SELECT s.published_date, s.site, count(*) AS images
    FROM images JOIN article_site s USING (article_id)
    GROUP BY ALL
),
indicator_days AS (
    SELECT s.published_date, s.site, count(*) AS indicators
    FROM indicators JOIN article_site s USING (article_id)
    GROUP BY ALL
),
failure_days AS (
    SELECT
        coalesce(
            try_strptime(regexp_extract(url, '/n[0-9]?/([0-9]{4}/[0-9]{4})/', 1), '%Y/%m%d'),
            try_strptime(regexp_extract(url, '/(?:content|layout)/([0-9]{6}/[0-9]{2})/', 1), '%Y%m/%d'),
            try_strptime(regexp_extract(url, '/html/([0-9]{4}-[0-9]{2}/[0-9]{2})/', 1), '%Y-%m/%d'),
            try_strptime(regexp_extract(url, 'renmrb_([0-9]{8})', 1), '%Y%m%d')
        )::DATE AS published_date,
        CASE
            WHEN kind LIKE 'epaper%' THEN 'epaper'
            WHEN kind LIKE 'portal%' THEN 'portal'
            WHEN regexp_matches(url, '/rmrb(hwb)?/(pc/|pad/|html/)') THEN 'epaper'
            ELSE 'portal'
        END AS site,
        count(*) AS failures,
        count(*) FILTER (WHERE resolved_at IS NULL) AS open_failures
    FROM failures
    WHERE stage <> 'pending'  -- named for ingest, not reached yet: bookkeeping, not a failure
    GROUP BY ALL
),
days AS (
    SELECT published_date, site FROM layout_days
    UNION SELECT published_date, site FROM article_days
    UNION SELECT published_date, site FROM failure_days
)
SELECT
    d.published_date,
    d.site,
    coalesce(l.pages, 0) AS pages,
    coalesce(l.ad_pages_skipped, 0) AS ad_pages_skipped,
    coalesce(a.articles, 0) AS articles,
    coalesce(im.images, 0) AS images,
    coalesce(ind.indicators, 0) AS indicators,
    coalesce(f.failures, 0) AS failures,
    coalesce(f.open_failures, 0) AS open_failures
FROM days d
LEFT JOIN layout_days l ON l.published_date IS NOT DISTINCT FROM d.published_date AND l.site = d.site
LEFT JOIN article_days a ON a.published_date IS NOT DISTINCT FROM d.published_date AND a.site = d.site
LEFT JOIN image_days im ON im.published_date IS NOT DISTINCT FROM d.published_date AND im.site = d.site
LEFT JOIN indicator_days ind ON ind.published_date IS NOT DISTINCT FROM d.published_date AND ind.site = d.site
LEFT JOIN failure_days f ON f.published_date IS NOT DISTINCT FROM d.published_date AND f.site = d.site;

-- The old per-day summary, kept for the queries that use it: both sites summed from v_daily
-- (`pages` is the e-paper's 版面 seen, 广告 pages included).
CREATE OR REPLACE VIEW v_daily_summary AS
SELECT
    published_date,
    sum(articles)::BIGINT AS articles,
    sum(pages)::BIGINT AS pages,
    sum(images)::BIGINT AS images,
    sum(indicators)::BIGINT AS indicators
FROM v_daily
WHERE published_date IS NOT NULL
GROUP BY published_date;

-- One row per series: (metric_key, measure, basis, period, region, unit), where metric_key is the
-- metric's key in metric_synonyms (warehouse/metric_synonyms.csv), else the metric itself.
-- `precision` is what one unit of the last printed digit is worth in the base unit: 5150.6万 -> 1000,
-- 5.2% -> 0.1, 1260582亿 -> 1e8 (the first Arabic number of `raw`, its decimals, and the magnitude
-- value / printed number); 0 for a figure printed without Arabic digits (三成), compared exactly.
-- Two exact reports agree when they differ by at most half the coarser of their precisions, i.e.
-- the finer one rounds to the coarser one (5.24% and 5.2% agree; 5.3% and 5.2% do not).
-- `conflict` is true when any two exact reports of the series disagree; approximate and bounded
-- figures (约, 超过, 不到) are counted but never compared.
-- `value` is the value of the most precise exact report (the latest of equally precise ones), else
-- of the latest report.
CREATE OR REPLACE VIEW v_indicator_series AS
WITH reports AS (
    SELECT
        coalesce(s.metric_key, i.metric) AS metric_key,
        i.metric, i.measure, i.basis, i.period, i.period_start, i.period_end, i.region, i.unit,
        i.value, i.qualifier, i.raw,
        i.indicator_id, i.article_id, a.published_date,
        regexp_extract(replace(i.raw, ',', ''), '[0-9]+(\.[0-9]+)?', 0) AS printed
    FROM indicators i
    JOIN articles a USING (article_id)
    LEFT JOIN metric_synonyms s ON s.metric = i.metric
),
measured AS (
    SELECT *,
        CASE WHEN printed <> '' AND try_cast(printed AS DOUBLE) > 0
            THEN abs(value) / try_cast(printed AS DOUBLE)
                * pow(10, -length(regexp_extract(printed, '\.([0-9]+)', 1)))
            ELSE 0 END AS precision,
        dense_rank() OVER (ORDER BY metric_key, measure, basis, period, region, unit) AS series_id
    FROM reports
),
disagreeing AS (
    SELECT DISTINCT a.series_id
    FROM measured a
    JOIN measured b ON a.series_id = b.series_id AND a.indicator_id < b.indicator_id
    WHERE a.qualifier = 'exact' AND b.qualifier = 'exact'
      AND abs(a.value - b.value) > greatest(a.precision, b.precision) / 2
          + 1e-9 * greatest(abs(a.value), abs(b.value))  -- the last bits of a DOUBLE are not a disagreement
),
ranked AS (
    SELECT *, row_number() OVER (
        PARTITION BY series_id
        ORDER BY qualifier = 'exact' DESC,
            CASE WHEN qualifier = 'exact' THEN precision END ASC NULLS LAST,
            published_date DESC NULLS LAST, indicator_id
    ) AS pick
    FROM measured
)
SELECT
    r.metric_key,
    r.measure,
    r.basis,
    r.period,
    min(r.period_start) AS period_start,
    max(r.period_end) AS period_end,
    r.region,
    r.unit,
    any_value(r.value) FILTER (WHERE r.pick = 1) AS value,
    min(r.value) AS min_value,
    max(r.value) AS max_value,
    count(DISTINCT r.article_id) AS reports,
    min(r.published_date) AS first_reported,
    max(r.published_date) AS last_reported,
    r.series_id IN (SELECT series_id FROM disagreeing) AS conflict,
    list(DISTINCT r.metric ORDER BY r.metric) AS metrics
FROM ranked r
GROUP BY r.series_id, r.metric_key, r.measure, r.basis, r.period, r.region, r.unit;

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
