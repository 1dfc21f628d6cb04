"""What the analyst report shows, read from the warehouse's views into plain records
(etl.report_records); etl.report draws them without touching DuckDB."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from etl.load.connection import DEFAULT_LOCK_WAIT_SECONDS, connect, has_column, has_table, scalar, utc_now
from etl.report_records import DayCounts, LatestIndicator, MetricReports, ReportData, SeriesPoint

TOP_METRICS = 15
LATEST_INDICATORS = 60
# The views the report reads: a warehouse without them has not been migrated since they were added.
REPORT_VIEWS = ("v_daily", "v_indicator_series", "v_indicators", "metric_synonyms")


class ReportUnavailable(RuntimeError):
    """The warehouse cannot be reported on as it is (an older schema)."""


class UnknownMetricKey(ValueError):
    """The metric_key asked for is in no series of the warehouse."""


def report_data(
    db_path: Path | str,
    *,
    since: dt.date | None = None,
    metric_key: str | None = None,
    wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
) -> ReportData:
    """The days, top metrics, the series of `metric_key` (default: the metric_key reported by most
    articles) and the latest indicators, from `since` on (series: last reported since then)."""
    with connect(db_path, read_only=True, wait_seconds=wait_seconds) as con:
        missing = [v for v in REPORT_VIEWS if not has_table(con, v)]
        if missing:
            raise ReportUnavailable(
                f"warehouse {db_path} has no {', '.join(missing)}; run `etl migrate --db {db_path}` first"
            )
        top = _top_metrics(con, since)
        if metric_key is not None and not scalar(
            con, "SELECT count(*) FROM v_indicator_series WHERE metric_key = ?", [metric_key]
        ):
            known = ", ".join(m.metric_key for m in top[:5])
            raise UnknownMetricKey(
                f"no series has metric_key {metric_key!r}"
                + (f"; the most reported are {known}" if known else "")
            )
        chosen = metric_key if metric_key is not None else (top[0].metric_key if top else None)
        return ReportData(
            warehouse=Path(db_path).name,
            generated_at=utc_now(),
            since=since,
            metric_key=chosen,
            days=_days(con, since),
            top_metrics=top,
            series=_series(con, chosen, since) if chosen is not None else (),
            latest=_latest(con, since),
        )


def _since(column: str, since: dt.date | None) -> tuple[str, list[object]]:
    return (f" AND {column} >= ?", [since]) if since is not None else ("", [])


def _days(con: duckdb.DuckDBPyConnection, since: dt.date | None) -> tuple[DayCounts, ...]:
    where, params = _since("published_date", since)
    rows = con.execute(
        "SELECT published_date, site, articles, indicators, failures FROM v_daily "
        f"WHERE published_date IS NOT NULL{where} ORDER BY published_date, site",
        params,
    ).fetchall()
    return tuple(DayCounts(d, s, int(a), int(i), int(f)) for d, s, a, i, f in rows)


def _top_metrics(con: duckdb.DuckDBPyConnection, since: dt.date | None) -> tuple[MetricReports, ...]:
    """metric_keys by the distinct articles that reported them (an article reporting a key's level and
    growth counts once), then by their number of series."""
    where, params = _since("v.published_date", since)
    rows = con.execute(
        "SELECT coalesce(s.metric_key, v.metric) AS key, count(DISTINCT v.article_id) AS reports, "
        "count(DISTINCT [v.measure, v.basis, v.period, v.region, v.unit]) AS series "
        "FROM v_indicators v LEFT JOIN metric_synonyms s USING (metric) "
        f"WHERE TRUE{where} GROUP BY key ORDER BY reports DESC, series DESC, key LIMIT ?",
        [*params, TOP_METRICS],
    ).fetchall()
    return tuple(MetricReports(k, int(r), int(n)) for k, r, n in rows)


def _series(
    con: duckdb.DuckDBPyConnection, metric_key: str, since: dt.date | None
) -> tuple[SeriesPoint, ...]:
    where, params = _since("last_reported", since)
    rows = con.execute(
        "SELECT coalesce(measure, ''), coalesce(basis, ''), unit, coalesce(region, ''), "
        "coalesce(period, ''), period_end, value, min_value, max_value, reports, last_reported, conflict "
        f"FROM v_indicator_series WHERE metric_key = ?{where} "
        "ORDER BY measure, basis, unit, region, period_end NULLS LAST, period",
        [metric_key, *params],
    ).fetchall()
    return tuple(
        SeriesPoint(m, b, u, r, p, end, float(v), float(lo), float(hi), int(n), last, bool(c))
        for m, b, u, r, p, end, v, lo, hi, n, last, c in rows
    )


def _latest(con: duckdb.DuckDBPyConnection, since: dt.date | None) -> tuple[LatestIndicator, ...]:
    where, params = _since("v.published_date", since)
    # The article's canonical URL where the warehouse stores one, else the URL it was read from.
    url = "coalesce(a.canonical_url, a.url)" if has_column(con, "articles", "canonical_url") else "a.url"
    rows = con.execute(
        f"SELECT v.published_date, v.title, {url}, v.metric, coalesce(v.measure, ''), v.value, v.unit, "
        "v.raw, coalesce(v.period, ''), coalesce(v.region, ''), v.sentence "
        "FROM v_indicators v JOIN articles a USING (article_id) "
        f"WHERE NOT v.caption_repeats_body{where} "
        "ORDER BY v.published_date DESC NULLS LAST, v.title, v.source, v.char_start LIMIT ?",
        [*params, LATEST_INDICATORS],
    ).fetchall()
    return tuple(
        LatestIndicator(
            published_date=day,
            title=title,
            url=link,
            metric=metric,
            measure=measure,
            value=float(value),
            unit=unit,
            raw=raw,
            period=period,
            region=region,
            sentence=sentence,
        )
        for day, title, link, metric, measure, value, unit, raw, period, region, sentence in rows
    )
