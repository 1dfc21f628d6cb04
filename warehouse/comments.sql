-- What every table, column and view means: meaning, unit, keys and time zone. Applied after
-- views.sql on every migrate (recreated views lose their comments); warehouse/README.md is generated
-- from these (python -m etl.load.docs). Times are TIMESTAMPTZ: instants, shown in the client's zone.

-- articles --------------------------------------------------------------------------------------
COMMENT ON TABLE articles IS 'One row per article (e-paper or portal), whichever host served it. Key: article_id. An unchanged article is never rewritten; a changed one replaces its row, images and indicators.';
COMMENT ON COLUMN articles.article_id IS 'Key: hash of the article''s source key (e-paper or portal content id), the same from a mirror and the live site.';
COMMENT ON COLUMN articles.url IS 'The URL the article was read from (first page); a mirror''s host when read from a copy. Unique.';
COMMENT ON COLUMN articles.canonical_url IS 'The live site''s URL (paper.people.com.cn, *.people.com.cn), whatever host served the page; NULL for a page on another host whose path is not the paper''s.';
COMMENT ON COLUMN articles.title IS 'Headline (主题).';
COMMENT ON COLUMN articles.pre_title IS '引题: the line above the headline; NULL when none.';
COMMENT ON COLUMN articles.subtitle IS '副题: the line below the headline; NULL when none.';
COMMENT ON COLUMN articles.published_at IS 'Publication time (TIMESTAMPTZ), as printed by the paper in Beijing time (Asia/Shanghai); midnight Beijing time when only the day is known.';
COMMENT ON COLUMN articles.published_date IS 'Publication day in Beijing (Asia/Shanghai): the e-paper''s issue date.';
COMMENT ON COLUMN articles.source IS '来源 line (人民日报, 人民网 …); NULL when the page names none.';
COMMENT ON COLUMN articles.authors IS 'Reporters and authors named in the byline.';
COMMENT ON COLUMN articles.editors IS '责编: editors credited for the article or its 版面.';
COMMENT ON COLUMN articles.page IS 'E-paper 版次 (page number of the printed issue); for a portal reprint the 版 it names; NULL otherwise.';
COMMENT ON COLUMN articles.page_name IS 'E-paper 版面 name (要闻, 经济 …); NULL for portal articles.';
COMMENT ON COLUMN articles.template IS 'Page template that read the article; generic = the fallback for a layout no template knows.';
COMMENT ON COLUMN articles.content_id IS 'The site''s content id (e-paper number, old e-paper date_place-page, portal number).';
COMMENT ON COLUMN articles.paragraph_count IS 'Paragraphs in body_text (subheads included).';
COMMENT ON COLUMN articles.subheads IS '小标题: subheads, also kept in body_text.';
COMMENT ON COLUMN articles.body_text IS 'Cleaned paragraphs joined by a newline; indicators.char_start/char_end index into it (0-based).';
COMMENT ON COLUMN articles.content_hash IS 'SHA-256 of everything stored for the article: a re-run rewrites the article only when it changes.';
COMMENT ON COLUMN articles.extractor_version IS 'Version of the indicator extractor that produced the article''s indicators.';
COMMENT ON COLUMN articles.parser_version IS 'Version of the page parser (etl.parse.PARSER_VERSION) that read the article; NULL for articles loaded before it was recorded.';
COMMENT ON COLUMN articles.source_digest IS 'Digest of the page body the article was read from and of what its 版面 said about it: a re-run skips the page when this and both versions are unchanged. NULL for an article merged from continuation pages (always read again).';
COMMENT ON COLUMN articles.fetched_at IS 'When the page was downloaded (TIMESTAMPTZ, UTC).';
COMMENT ON COLUMN articles.loaded_at IS 'When this version of the article was written (TIMESTAMPTZ, UTC).';
COMMENT ON COLUMN articles.run_id IS 'The run that wrote it: runs.run_id.';

-- images ----------------------------------------------------------------------------------------
COMMENT ON TABLE images IS 'One row per article photo (page furniture such as logos and QR codes left out). Key: (article_id, position).';
COMMENT ON COLUMN images.article_id IS 'The article: articles.article_id.';
COMMENT ON COLUMN images.position IS 'Order of the photo in the article, from 0.';
COMMENT ON COLUMN images.src IS 'Absolute URL of the image file, as served.';
COMMENT ON COLUMN images.caption IS 'Photo caption, cleaned, without its credit; indicators with source = caption index into it.';
COMMENT ON COLUMN images.credit IS 'Photographer or agency credit split off the caption (新华社记者 … 摄); NULL when none.';

-- indicators ------------------------------------------------------------------------------------
COMMENT ON TABLE indicators IS 'One row per numeric indicator an article reports (docs/indicators.md). Key: indicator_id.';
COMMENT ON COLUMN indicators.indicator_id IS 'Key: hash of article, source, image, span and unit; stable across re-runs.';
COMMENT ON COLUMN indicators.article_id IS 'The article: articles.article_id.';
COMMENT ON COLUMN indicators.source IS 'Where the figure is printed: body or caption.';
COMMENT ON COLUMN indicators.image_position IS 'The caption''s photo (images.position) when source = caption; NULL for body figures.';
COMMENT ON COLUMN indicators.metric IS 'What is measured, the subject alone (集装箱吞吐量, not 集装箱吞吐量同比增长).';
COMMENT ON COLUMN indicators.value IS 'The number in the base unit of unit, 万/亿 applied (5150.6万标箱 -> 51506000); negative for a decrease (下降2.1% -> -2.1).';
COMMENT ON COLUMN indicators.unit IS 'Unit of value as the paper counts it: % for growth and shares, 元, 吨, 标箱, 人 …';
COMMENT ON COLUMN indicators.qualifier IS 'exact, approx (约), gt (超, 逾, 以上) or lt (不到, 以下).';
COMMENT ON COLUMN indicators.period IS 'Period the figure covers: 2024, 2025-H1, 2025-Q1-Q3, 2025-09, 2024-M01-M10; NULL when the text gives none.';
COMMENT ON COLUMN indicators.period_start IS 'First day of period (a DATE, Beijing calendar).';
COMMENT ON COLUMN indicators.period_end IS 'Last day of period (a DATE, Beijing calendar).';
COMMENT ON COLUMN indicators.region IS 'The most specific place the figure is about; 全国 for a national figure.';
COMMENT ON COLUMN indicators.raw IS 'The number and unit as printed.';
COMMENT ON COLUMN indicators.sentence IS 'The sentence the figure is in (an excerpt of at most 1,000 characters around it for longer ones), verbatim from body_text or the caption.';
COMMENT ON COLUMN indicators.char_start IS 'Start of raw in body_text (or in the caption), 0-based character offset.';
COMMENT ON COLUMN indicators.char_end IS 'End of raw in body_text (or in the caption), exclusive.';
COMMENT ON COLUMN indicators.extractor_version IS 'Version of the extractor that produced the row.';
COMMENT ON COLUMN indicators.measure IS 'Kind of figure: level, growth, change, share or completion (convention v2).';
COMMENT ON COLUMN indicators.basis IS 'What a growth or change compares with: yoy, mom or base; empty for other measures.';
COMMENT ON COLUMN indicators.province IS 'Province-level unit containing region (杭州 -> 浙江; 全国 -> 全国); empty for foreign or cross-province places.';

-- pages -----------------------------------------------------------------------------------------
COMMENT ON TABLE pages IS 'One row per URL ever fetched: its latest outcome and what a conditional GET needs next time. Key: url.';
COMMENT ON COLUMN pages.url IS 'Key: the URL asked for.';
COMMENT ON COLUMN pages.kind IS 'epaper_layout (版面), epaper_article or portal_article.';
COMMENT ON COLUMN pages.final_url IS 'URL after redirects.';
COMMENT ON COLUMN pages.status IS 'Latest outcome: ok, not_modified, not_found, disallowed or failed.';
COMMENT ON COLUMN pages.http_status IS 'HTTP status of the latest answer; NULL when none came.';
COMMENT ON COLUMN pages.encoding IS 'Encoding the body was decoded with, judged from its bytes: utf-8 or gb18030.';
COMMENT ON COLUMN pages.sha256 IS 'SHA-256 of the last good body: its key in the raw-page archive.';
COMMENT ON COLUMN pages.size IS 'Size of the last good body, in bytes.';
COMMENT ON COLUMN pages.etag IS 'ETag of the last good answer, for conditional GETs.';
COMMENT ON COLUMN pages.last_modified IS 'Last-Modified header of the last good answer, as sent.';
COMMENT ON COLUMN pages.fetched_at IS 'When the current body was downloaded (TIMESTAMPTZ, UTC).';
COMMENT ON COLUMN pages.checked_at IS 'Latest attempt, whatever its outcome (TIMESTAMPTZ, UTC).';
COMMENT ON COLUMN pages.attempts IS 'HTTP attempts in the latest check.';
COMMENT ON COLUMN pages.error IS 'Why the latest check failed; NULL when it did not.';
COMMENT ON COLUMN pages.run_id IS 'Run of the latest check: runs.run_id.';
COMMENT ON COLUMN pages.decode_errors IS 'Bytes of the body that did not decode and became U+FFFD (0 for a clean page); NULL when no body was decoded.';

-- failures --------------------------------------------------------------------------------------
COMMENT ON TABLE failures IS 'Pages that did not load, and why. Key: url. Open while resolved_at is NULL; later runs retry it (see retry).';
COMMENT ON COLUMN failures.url IS 'Key: the URL that failed.';
COMMENT ON COLUMN failures.kind IS 'epaper_layout, epaper_article or portal_article.';
COMMENT ON COLUMN failures.stage IS 'Where it failed: pending (named, not reached yet), fetch, parse, extract or load.';
COMMENT ON COLUMN failures.reason IS 'Why, in one line.';
COMMENT ON COLUMN failures.http_status IS 'HTTP status of the failed answer; NULL when none.';
COMMENT ON COLUMN failures.attempts IS 'HTTP attempts in the latest try.';
COMMENT ON COLUMN failures.failure_count IS 'Runs that failed on the URL since it last loaded (0 for a pending URL).';
COMMENT ON COLUMN failures.first_failed_at IS 'First failure since it last loaded (TIMESTAMPTZ, UTC).';
COMMENT ON COLUMN failures.last_failed_at IS 'Latest failure (TIMESTAMPTZ, UTC).';
COMMENT ON COLUMN failures.resolved_at IS 'When a later run loaded the URL (TIMESTAMPTZ, UTC); NULL while open.';
COMMENT ON COLUMN failures.run_id IS 'Run of the latest failure: runs.run_id.';
COMMENT ON COLUMN failures.source_key IS 'The article or 版面 the URL names (content id), so a load from another host resolves it.';
COMMENT ON COLUMN failures.retry IS 'What the next runs do: transient (retried, 10 runs in all), gone (404/410, 3 runs), never (a host nobody named).';

-- runs ------------------------------------------------------------------------------------------
COMMENT ON TABLE runs IS 'One row per flow run. Key: run_id (the Prefect flow run id).';
COMMENT ON COLUMN runs.run_id IS 'Key: the Prefect flow run id.';
COMMENT ON COLUMN runs.flow IS 'daily_epaper, ingest_urls, portal_news or reprocess_archive (a backfill runs daily_epaper once per day).';
COMMENT ON COLUMN runs.params IS 'The flow parameters, as JSON (credentials never included).';
COMMENT ON COLUMN runs.started_at IS 'Start of the run (TIMESTAMPTZ, UTC).';
COMMENT ON COLUMN runs.finished_at IS 'End of the run (TIMESTAMPTZ, UTC); NULL while running or when it was killed.';
COMMENT ON COLUMN runs.status IS 'running, ok, partial (pages of its own scope failed), empty (an e-paper day with no paper to load), failed, interrupted (SIGTERM/SIGINT) or aborted (killed).';
COMMENT ON COLUMN runs.pages_fetched IS 'Pages downloaded.';
COMMENT ON COLUMN runs.pages_not_modified IS 'Pages the server answered 304 Not Modified for.';
COMMENT ON COLUMN runs.articles_loaded IS 'New or changed articles written.';
COMMENT ON COLUMN runs.articles_unchanged IS 'Articles seen again with identical content, not rewritten.';
COMMENT ON COLUMN runs.images_loaded IS 'Image rows written.';
COMMENT ON COLUMN runs.indicators_loaded IS 'Indicator rows written.';
COMMENT ON COLUMN runs.failures IS 'Pages that failed in the run.';
COMMENT ON COLUMN runs.pages_skipped_unchanged IS 'Article pages not parsed or extracted again: body, parser and extractor version as when their article was loaded (also counted in articles_unchanged).';
COMMENT ON COLUMN runs.message IS 'Why the run ended as it did, when it did not simply finish; NULL otherwise.';
COMMENT ON COLUMN runs.scope IS 'What the run was for: the issue day of a daily e-paper run, the since day of a portal run, the number of URLs of an ingest; NULL for runs before it was recorded.';
COMMENT ON COLUMN runs.retried IS 'Open failures of earlier runs (other days, other ingests) this run retried on the side; they never change its status.';
COMMENT ON COLUMN runs.retry_failures IS 'Of those retried, how many failed again (still open in etl failures).';
COMMENT ON COLUMN runs.articles_reprocessed IS 'etl reprocess only (NULL for crawls): archived articles read again with the current code.';
COMMENT ON COLUMN runs.articles_indicators_changed IS 'etl reprocess only: of those, articles whose indicator rows changed.';
COMMENT ON COLUMN runs.indicators_added IS 'etl reprocess only: indicator rows added.';
COMMENT ON COLUMN runs.indicators_removed IS 'etl reprocess only: indicator rows removed.';
COMMENT ON COLUMN runs.indicator_changes IS 'etl reprocess only: rows added and removed per metric, as JSON {"metric": {"added": n, "removed": n}}.';

COMMENT ON TABLE backfill_days IS 'Issue days an etl backfill finished. Key: day. A restarted backfill skips them (unless --redo); a day whose run failed has no row and is tried again.';
COMMENT ON COLUMN backfill_days.day IS 'Key: the issue day (Beijing date).';
COMMENT ON COLUMN backfill_days.outcome IS 'loaded (the day''s pages loaded) or not_served (every 版面 answered 404 or a page saying it does not exist: not asked for again).';
COMMENT ON COLUMN backfill_days.run_id IS 'The daily run that finished the day: runs.run_id.';
COMMENT ON COLUMN backfill_days.finished_at IS 'When the day was recorded (TIMESTAMPTZ, UTC).';
COMMENT ON COLUMN backfill_days.message IS 'The daily run''s summary line, or why the day counts as not served.';

-- schema_migrations -----------------------------------------------------------------------------
COMMENT ON TABLE schema_migrations IS 'Schema migrations applied (warehouse/migrations/NNN_name.sql). Key: version.';
COMMENT ON COLUMN schema_migrations.version IS 'Key: the migration''s number.';
COMMENT ON COLUMN schema_migrations.name IS 'The migration''s file name.';
COMMENT ON COLUMN schema_migrations.applied_at IS 'When it was applied (TIMESTAMPTZ, UTC).';

-- v_indicators ----------------------------------------------------------------------------------
COMMENT ON VIEW v_indicators IS 'Every indicator with its article''s date, title, 版面 and URLs: one row per indicators row.';
COMMENT ON COLUMN v_indicators.indicator_id IS 'Key: indicators.indicator_id.';
COMMENT ON COLUMN v_indicators.published_date IS 'Publication day of the article in Beijing (Asia/Shanghai).';
COMMENT ON COLUMN v_indicators.title IS 'Headline of the article.';
COMMENT ON COLUMN v_indicators.page IS 'E-paper 版次; NULL for portal articles.';
COMMENT ON COLUMN v_indicators.page_name IS 'E-paper 版面 name; NULL for portal articles.';
COMMENT ON COLUMN v_indicators.metric IS 'What is measured, the subject alone.';
COMMENT ON COLUMN v_indicators.measure IS 'level, growth, change, share or completion.';
COMMENT ON COLUMN v_indicators.basis IS 'yoy, mom or base for a growth or change; empty otherwise.';
COMMENT ON COLUMN v_indicators.value IS 'The number in the base unit, 万/亿 applied; negative for a decrease.';
COMMENT ON COLUMN v_indicators.unit IS 'Unit of value.';
COMMENT ON COLUMN v_indicators.qualifier IS 'exact, approx, gt or lt.';
COMMENT ON COLUMN v_indicators.period IS 'Period the figure covers (2024, 2025-H1, 2025-09 …).';
COMMENT ON COLUMN v_indicators.period_start IS 'First day of period.';
COMMENT ON COLUMN v_indicators.period_end IS 'Last day of period.';
COMMENT ON COLUMN v_indicators.region IS 'The most specific place; 全国 for a national figure.';
COMMENT ON COLUMN v_indicators.province IS 'Province-level unit containing region.';
COMMENT ON COLUMN v_indicators.raw IS 'The number and unit as printed.';
COMMENT ON COLUMN v_indicators.sentence IS 'The sentence the figure is in.';
COMMENT ON COLUMN v_indicators.source IS 'body or caption.';
COMMENT ON COLUMN v_indicators.image_position IS 'The caption''s photo when source = caption.';
COMMENT ON COLUMN v_indicators.caption_repeats_body IS 'True for a caption figure the body also reports (same value and unit): leave it out of sums.';
COMMENT ON COLUMN v_indicators.char_start IS 'Start of raw in body_text or the caption (0-based).';
COMMENT ON COLUMN v_indicators.char_end IS 'End of raw, exclusive.';
COMMENT ON COLUMN v_indicators.extractor_version IS 'Version of the extractor that produced the row.';
COMMENT ON COLUMN v_indicators.url IS 'The URL the article was read from.';
COMMENT ON COLUMN v_indicators.canonical_url IS 'The article''s URL on the live site.';
COMMENT ON COLUMN v_indicators.article_id IS 'The article: articles.article_id.';

-- v_captions ------------------------------------------------------------------------------------
COMMENT ON VIEW v_captions IS 'Every photo caption with its article: one row per images row.';
COMMENT ON COLUMN v_captions.published_date IS 'Publication day of the article in Beijing (Asia/Shanghai).';
COMMENT ON COLUMN v_captions.title IS 'Headline of the article.';
COMMENT ON COLUMN v_captions.url IS 'The URL the article was read from.';
COMMENT ON COLUMN v_captions.canonical_url IS 'The article''s URL on the live site.';
COMMENT ON COLUMN v_captions.article_id IS 'Key with position: the article.';
COMMENT ON COLUMN v_captions.position IS 'Key with article_id: order of the photo, from 0.';
COMMENT ON COLUMN v_captions.caption IS 'Photo caption, without its credit.';
COMMENT ON COLUMN v_captions.credit IS 'Photographer or agency credit.';
COMMENT ON COLUMN v_captions.src IS 'URL of the image file, as served.';

-- v_open_failures -------------------------------------------------------------------------------
COMMENT ON VIEW v_open_failures IS 'Failures not resolved yet: one row per URL still failing.';
COMMENT ON COLUMN v_open_failures.url IS 'Key: the URL that fails.';
COMMENT ON COLUMN v_open_failures.canonical_url IS 'The page''s URL on the live site (macro live_url); NULL for a page on another host whose path is not the paper''s.';
COMMENT ON COLUMN v_open_failures.kind IS 'epaper_layout, epaper_article or portal_article.';
COMMENT ON COLUMN v_open_failures.stage IS 'pending, fetch, parse, extract or load.';
COMMENT ON COLUMN v_open_failures.reason IS 'Why, in one line.';
COMMENT ON COLUMN v_open_failures.http_status IS 'HTTP status of the failed answer.';
COMMENT ON COLUMN v_open_failures.attempts IS 'HTTP attempts in the latest try.';
COMMENT ON COLUMN v_open_failures.failure_count IS 'Runs that failed on the URL so far.';
COMMENT ON COLUMN v_open_failures.first_failed_at IS 'First failure (TIMESTAMPTZ, UTC).';
COMMENT ON COLUMN v_open_failures.last_failed_at IS 'Latest failure (TIMESTAMPTZ, UTC).';
COMMENT ON COLUMN v_open_failures.retry IS 'transient, gone or never: what the next runs do about it.';

-- v_daily_summary -------------------------------------------------------------------------------
COMMENT ON VIEW v_daily_summary IS 'What was loaded per publication day: one row per published_date.';
COMMENT ON COLUMN v_daily_summary.published_date IS 'Key: publication day in Beijing (Asia/Shanghai).';
COMMENT ON COLUMN v_daily_summary.articles IS 'Articles of the day.';
COMMENT ON COLUMN v_daily_summary.pages IS 'Distinct e-paper 版次 among them.';
COMMENT ON COLUMN v_daily_summary.images IS 'Photos of the day''s articles.';
COMMENT ON COLUMN v_daily_summary.indicators IS 'Indicators of the day''s articles.';

-- v_template_use --------------------------------------------------------------------------------
COMMENT ON VIEW v_template_use IS 'Which template read the articles of each host: one row per (host, template). generic rows need a template (docs/adding_a_template.md).';
COMMENT ON COLUMN v_template_use.host IS 'Key with template: the host the articles were read from.';
COMMENT ON COLUMN v_template_use.template IS 'Key with host: the page template; generic = the fallback.';
COMMENT ON COLUMN v_template_use.articles IS 'Articles it read.';
COMMENT ON COLUMN v_template_use.first_loaded IS 'First load (TIMESTAMPTZ, UTC).';
COMMENT ON COLUMN v_template_use.last_loaded IS 'Latest load (TIMESTAMPTZ, UTC).';
COMMENT ON COLUMN v_template_use.latest_url IS 'URL of the latest article it read.';
COMMENT ON COLUMN v_template_use.latest_canonical_url IS 'The same article''s URL on the live site.';

-- macros ----------------------------------------------------------------------------------------
COMMENT ON MACRO live_url IS 'live_url(url): the live site''s URL of a People''s Daily page read from any host (a mirror, a saved copy): paper.people.com.cn for e-paper paths, www.people.com.cn for portal paths, the URL itself on people.com.cn / people.cn; NULL otherwise.';

-- series, days and synonyms ------------------------------------------------------------------
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
