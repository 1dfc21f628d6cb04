-- What analysts read in their SQL client's catalogue (duckdb_tables(), duckdb_views(),
-- duckdb_columns()) for the series, daily and 版面 objects. Applied after views.sql on every migrate:
-- replacing a view drops its comments.

COMMENT ON TABLE layout_pages IS 'Every e-paper 版面 a run read, one row per page whatever host served it; ad_page marks the 广告 pages whose articles were skipped.';
COMMENT ON COLUMN layout_pages.source_key IS 'The 版面 as the ETL identifies it on any host: epaper-page:YYYYMMDD:NN.';
COMMENT ON COLUMN layout_pages.url IS 'The URL the 版面 was last read from.';
COMMENT ON COLUMN layout_pages.issue_date IS 'The e-paper issue the 版面 belongs to.';
COMMENT ON COLUMN layout_pages.page_no IS '版次: the page number within the issue.';
COMMENT ON COLUMN layout_pages.page_name IS '版名 as printed: 要闻, 评论, 广告 …';
COMMENT ON COLUMN layout_pages.entries IS 'Article links the 版面 lists, 本版责编 credit lines included.';
COMMENT ON COLUMN layout_pages.ad_page IS 'True for a 广告 page: discovery skips its entries, so none of its articles is fetched.';
COMMENT ON COLUMN layout_pages.run_id IS 'The run (runs.run_id) that last read the 版面.';
COMMENT ON COLUMN layout_pages.loaded_at IS 'When that run stored the row (UTC).';

COMMENT ON TABLE metric_synonyms IS 'Metrics that name one quantity, mapped to one key for v_indicator_series; reloaded from warehouse/metric_synonyms.csv on every migrate: edit the CSV, not the table.';
COMMENT ON COLUMN metric_synonyms.metric IS 'An indicators.metric text, exactly as stored.';
COMMENT ON COLUMN metric_synonyms.metric_key IS 'The series key: lower-case English snake_case (gdp, retail_sales). A metric not listed is its own key.';

COMMENT ON VIEW v_daily IS 'One row per issue date and site (epaper, portal): 版面 seen, 广告 pages skipped, articles, images, indicators, failed pages.';
COMMENT ON COLUMN v_daily.published_date IS 'The issue date (of the articles, the 版面, or read from a failed page''s URL; NULL when the URL carries none).';
COMMENT ON COLUMN v_daily.site IS 'epaper (人民日报 e-paper) or portal (人民网 and any other article page).';
COMMENT ON COLUMN v_daily.pages IS '版面 of the issue seen by the runs, 广告 pages included; 0 for the portal.';
COMMENT ON COLUMN v_daily.ad_pages_skipped IS '广告 版面 whose articles were not fetched.';
COMMENT ON COLUMN v_daily.articles IS 'Articles loaded with this published date.';
COMMENT ON COLUMN v_daily.images IS 'Photos of those articles.';
COMMENT ON COLUMN v_daily.indicators IS 'Indicators of those articles, body and captions.';
COMMENT ON COLUMN v_daily.failures IS 'Pages of this date that failed at some run, loaded since or not.';
COMMENT ON COLUMN v_daily.open_failures IS 'Of those, pages not loaded since (still in v_open_failures).';

COMMENT ON VIEW v_daily_summary IS 'Per published date, both sites summed from v_daily (kept for older queries; v_daily splits e-paper and portal).';
COMMENT ON COLUMN v_daily_summary.published_date IS 'The issue date.';
COMMENT ON COLUMN v_daily_summary.articles IS 'Articles of the date, e-paper and portal.';
COMMENT ON COLUMN v_daily_summary.pages IS 'E-paper 版面 seen, 广告 pages included.';
COMMENT ON COLUMN v_daily_summary.images IS 'Photos of the date''s articles.';
COMMENT ON COLUMN v_daily_summary.indicators IS 'Indicators of the date''s articles.';

COMMENT ON VIEW v_indicator_series IS 'One row per series (metric_key, measure, basis, period, region, unit): its value, how many articles reported it, when, and whether the reports conflict beyond rounding.';
COMMENT ON COLUMN v_indicator_series.metric_key IS 'metric_synonyms.metric_key of the metric, else the metric itself.';
COMMENT ON COLUMN v_indicator_series.measure IS 'level | growth | change | share | completion (docs/indicators.md).';
COMMENT ON COLUMN v_indicator_series.basis IS 'yoy | mom | base for a growth or change; empty otherwise.';
COMMENT ON COLUMN v_indicator_series.period IS 'The period label: 2024, 2025-H1, 2025-Q1-Q3, 2025-09 …';
COMMENT ON COLUMN v_indicator_series.period_start IS 'First day of the period.';
COMMENT ON COLUMN v_indicator_series.period_end IS 'Last day of the period: where a chart puts the value in time.';
COMMENT ON COLUMN v_indicator_series.region IS 'The most specific place named; 全国 for a national figure.';
COMMENT ON COLUMN v_indicator_series.unit IS 'The base unit of value.';
COMMENT ON COLUMN v_indicator_series.value IS 'The most precise exact report (the latest of equally precise ones), else the latest report.';
COMMENT ON COLUMN v_indicator_series.min_value IS 'The smallest value reported, any qualifier.';
COMMENT ON COLUMN v_indicator_series.max_value IS 'The largest value reported, any qualifier.';
COMMENT ON COLUMN v_indicator_series.reports IS 'Distinct articles that reported the series.';
COMMENT ON COLUMN v_indicator_series.first_reported IS 'Published date of the first report.';
COMMENT ON COLUMN v_indicator_series.last_reported IS 'Published date of the latest report.';
COMMENT ON COLUMN v_indicator_series.conflict IS 'True when two exact reports differ by more than half the coarser of their printed precisions.';
COMMENT ON COLUMN v_indicator_series.metrics IS 'The metric texts the reports used.';
