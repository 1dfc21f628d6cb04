"""The analyst report: one self-contained HTML page drawn from plain records (etl.report_records).

The page opens offline: its styles are inline, its charts inline SVG (etl.report.charts), and it
loads nothing (no script, no font, no image from anywhere). Everything from the crawl (titles,
metrics, sentences, URLs) is HTML-escaped where it is written, and a link is made only of an
http(s) URL, so a page's text can never become markup or a javascript: link in the report.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from etl.report import charts
from etl.report_records import LatestIndicator, ReportData, SeriesPoint

__all__ = ["render_report"]

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", sans-serif;
       margin: 2rem auto; max-width: 1100px; color: #222; line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: .85rem; width: 100%; }
th, td { border-bottom: 1px solid #eee; padding: .25rem .4rem; text-align: left; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; } .sentence { color: #555; }
.conflict { color: #d00000; font-weight: bold; } .meta { color: #666; font-size: .85rem; }
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _link(url: str, text: str) -> str:
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in ("http", "https"):
        return _e(text)
    return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(text)}</a>'


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.6g}"


def _figure(kind: str, svg: str) -> str:
    return f'<figure class="chart" data-chart="{_e(kind)}">{svg}</figure>'


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _series_rows(points: Sequence[SeriesPoint]) -> list[list[str]]:
    return [
        [
            f"<td>{_e(p.measure)}{' / ' + _e(p.basis) if p.basis else ''}</td>",
            f"<td>{_e(p.region)}</td>",
            f"<td>{_e(p.period)}</td>",
            f'<td class="num">{_e(_number(p.value))} {_e(p.unit)}</td>',
            f'<td class="num">{p.reports}</td>',
            f"<td>{_e(p.last_reported)}</td>",
            f'<td class="conflict">conflict: {_e(_number(p.min_value))} – {_e(_number(p.max_value))}</td>'
            if p.conflict
            else "<td></td>",
        ]
        for p in points
    ]


def _latest_rows(latest: Sequence[LatestIndicator]) -> list[list[str]]:
    return [
        [
            f"<td>{_e(i.published_date)}</td>",
            f"<td>{_link(i.url, i.title)}</td>",
            f"<td>{_e(i.metric)}</td>",
            f'<td class="num">{_e(i.raw)}</td>',
            f"<td>{_e(i.period)}</td>",
            f"<td>{_e(i.region)}</td>",
            f'<td class="sentence">{_e(i.sentence)}</td>',
        ]
        for i in latest
    ]


def render_report(data: ReportData) -> str:
    """The whole page, as text to write to a .html file."""
    since = f", from {_e(data.since)}" if data.since else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        # Nothing may be loaded from anywhere, even if a crawled string slipped through as markup.
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        f"<title>People's Daily indicators: {_e(data.warehouse)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>People's Daily indicators: {_e(data.warehouse)}</h1>",
        f'<p class="meta">Generated {data.generated_at:%Y-%m-%d %H:%M} UTC{since}.</p>',
    ]
    if data.days:
        parts += [
            "<h2>Indicators per day</h2>",
            _figure("indicators-per-day", charts.indicators_per_day(data.days)),
        ]
    else:
        parts += ["<h2>Indicators per day</h2>", "<p>No articles in this period.</p>"]
    if data.top_metrics:
        parts += ["<h2>Top metrics</h2>", _figure("top-metrics", charts.top_metrics(data.top_metrics))]
    if data.metric_key is not None:
        charted = charts.charted_points(data.series)
        parts.append(f"<h2>Series: {_e(data.metric_key)}</h2>")
        if charted:
            parts.append(_figure("series", charts.series_chart(data.metric_key, charted)))
            conflicts = sum(p.conflict for p in data.series)
            parts.append(
                f'<p class="meta">{len(data.series)} series of this key, {conflicts} with reports that '
                "disagree beyond rounding (ringed in red; see v_indicator_series.conflict).</p>"
            )
            parts.append(
                _table(
                    ["measure", "region", "period", "value", "reports", "last reported", ""],
                    _series_rows(data.series),
                )
            )
        else:
            parts.append("<p>No reports of this metric_key in this period.</p>")
    if data.days:
        parts += [
            "<h2>Failures per day</h2>",
            _figure("failures-per-day", charts.failures_per_day(data.days)),
        ]
    parts += [
        "<h2>Latest indicators</h2>",
        _table(
            ["date", "article", "metric", "as printed", "period", "region", "sentence"],
            _latest_rows(data.latest),
        )
        if data.latest
        else "<p>No indicators in this period.</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
