-- Example queries for analysts, each answering one question. warehouse/README.md copies them (python
-- -m etl.load.docs); tests/test_warehouse_docs.py runs each against the sample site's warehouse.
-- Each starts with a "-- question:" line.

-- question: Which indicators did the latest issue report, each traceable to its sentence?
SELECT title, page, metric, value, unit, qualifier, period, region, raw, sentence
FROM v_indicators
WHERE published_date = (SELECT max(published_date) FROM articles WHERE page IS NOT NULL)
ORDER BY page, title, char_start;

-- question: Which regions grew, year on year, and by how much (percent growth only)?
SELECT province, region, metric, value AS growth_percent, period, published_date, canonical_url
FROM v_indicators
WHERE measure = 'growth' AND basis = 'yoy' AND unit = '%'
ORDER BY province, region, metric;

-- question: Which metrics does the paper report most often, and in how many articles?
SELECT metric, count(*) AS figures, count(DISTINCT article_id) AS articles, min(published_date) AS first_seen
FROM v_indicators
GROUP BY metric
ORDER BY figures DESC, metric
LIMIT 20;

-- question: How has one metric (here container throughput, 集装箱吞吐量) been reported over time?
SELECT period, period_start, period_end, region, value, unit, qualifier, raw, published_date, canonical_url
FROM v_indicators
WHERE metric LIKE '%集装箱吞吐量%' AND measure = 'level'
ORDER BY period_end, region;

-- question: Which figures appear only in photo captions, not in the article's body?
SELECT published_date, title, image_position, metric, value, unit, raw
FROM v_indicators
WHERE source = 'caption' AND NOT caption_repeats_body
ORDER BY published_date, title, image_position;

-- question: Which figures are approximate or bounds (约, 超, 不到) rather than exact?
SELECT qualifier, metric, value, unit, raw, sentence
FROM v_indicators
WHERE qualifier <> 'exact'
ORDER BY qualifier, metric;

-- question: Which 版面 of each issue carry the most figures?
SELECT published_date, page, page_name, count(*) AS figures, count(DISTINCT article_id) AS articles
FROM v_indicators
WHERE page IS NOT NULL
GROUP BY published_date, page, page_name
ORDER BY published_date DESC, figures DESC;

-- question: When was each article published, in Beijing time, and where is it on the live site?
SELECT published_at AT TIME ZONE 'Asia/Shanghai' AS published_beijing, title, source, canonical_url
FROM articles
ORDER BY published_at DESC, title;

-- question: Which reporters wrote the most articles?
SELECT author, count(*) AS articles, min(published_date) AS first, max(published_date) AS latest
FROM (SELECT unnest(authors) AS author, published_date FROM articles)
GROUP BY author
ORDER BY articles DESC, author;

-- question: How fresh is the warehouse: when did the latest runs end, and how did they go?
SELECT flow, status, started_at, finished_at, articles_loaded, indicators_loaded, failures, message
FROM runs
ORDER BY started_at DESC
LIMIT 10;
