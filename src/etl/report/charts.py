"""The report's charts: Vega-Lite specs built with Altair, drawn to SVG by vl-convert (its own
bundled engine, no browser), so the page needs no JavaScript and opens offline.

Every chart gets its data inline; vl-convert is told to load nothing from anywhere. Vega writes
data text into the SVG escaped, so crawled metric names cannot become markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import vl_convert

from etl.report_records import DayCounts, MetricReports, SeriesPoint

WIDTH = 640
SITE_COLOURS = alt.Scale(domain=["epaper", "portal"], range=["#b3261e", "#1f5f99"])
# Fonts the SVG asks the reader's browser for: Chinese labels need a CJK face.
FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


def to_svg(chart: alt.TopLevelMixin) -> str:
    spec: dict[str, Any] = chart.to_dict()
    return str(vl_convert.vegalite_to_svg(spec, allowed_base_urls=[]))


def _inline(values: list[dict[str, Any]]) -> Any:
    """The rows as data inside the spec itself: a chart never loads data from a URL."""
    return alt.Data(values=values)  # type: ignore[no-untyped-call]


def _configured(chart: Any) -> Any:
    return chart.configure(font=FONT).configure_view(stroke=None)


def indicators_per_day(days: Sequence[DayCounts]) -> str:
    data = [{"day": d.day.isoformat(), "site": d.site, "indicators": d.indicators} for d in days]
    chart = (
        alt.Chart(_inline(data), title="Indicators per day", width=WIDTH, height=220)
        .mark_bar()
        .encode(
            x=alt.X("day:O", title="published date"),
            y=alt.Y("indicators:Q", title="indicators", stack=True),
            color=alt.Color("site:N", scale=SITE_COLOURS, title="site"),
        )
    )
    return to_svg(_configured(chart))


def failures_per_day(days: Sequence[DayCounts]) -> str:
    data = [{"day": d.day.isoformat(), "site": d.site, "failures": d.failures} for d in days]
    chart = (
        alt.Chart(_inline(data), title="Failed pages per day", width=WIDTH, height=160)
        .mark_bar()
        .encode(
            x=alt.X("day:O", title="published date"),
            y=alt.Y("failures:Q", title="failed pages", stack=True, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("site:N", scale=SITE_COLOURS, title="site"),
        )
    )
    return to_svg(_configured(chart))


def top_metrics(metrics: Sequence[MetricReports]) -> str:
    data = [{"metric_key": m.metric_key, "reports": m.reports} for m in metrics]
    chart = (
        alt.Chart(_inline(data), title="Most reported metrics", width=WIDTH - 160)
        .mark_bar(color="#555")
        .encode(
            y=alt.Y("metric_key:N", sort="-x", title=None),
            x=alt.X("reports:Q", title="article reports", axis=alt.Axis(tickMinStep=1)),
        )
    )
    return to_svg(_configured(chart))


def period_kind(period: str) -> str:
    """What span a period label covers, so a line joins only like with like: a year, a half, a
    quarter, a month, or a cumulative span (前三季度, 1至8月); `undated` for no label."""
    if not period:
        return "undated"
    if "-M" in period or "-Q1-" in period:
        return "cumulative"
    if "-H" in period:
        return "half"
    if "-Q" in period:
        return "quarter"
    if len(period) == 4:
        return "year"
    return "month" if len(period) == 7 else "other"


def series_chart(metric_key: str, points: Sequence[SeriesPoint]) -> str:
    """The values of the most reported (measure, basis, unit) of the metric_key by period end, one line
    per region and kind of period (a year never joins a month); a conflicting series is drawn ringed
    in red."""
    data = [
        {
            "when": when.isoformat() if (when := p.period_end or p.last_reported) else None,
            "value": p.value,
            "region": p.region or "(none)",
            "period": period_kind(p.period),
            "conflict": "conflict" if p.conflict else "agrees",
        }
        for p in points
    ]
    title = f"{metric_key}: {_kind(points[0]) if points else 'no reports'}"
    base = alt.Chart(_inline(data), width=WIDTH, height=240).encode(
        x=alt.X("when:T", title="period end", scale=alt.Scale(padding=24)),
        y=alt.Y("value:Q", title=points[0].unit if points else None),
        color=alt.Color("region:N", title="region"),
    )
    lines = base.mark_line().encode(detail="period:N")
    dots = base.mark_point(filled=True, size=70).encode(shape=alt.Shape("period:N", title="period"))
    conflicts = base.transform_filter(alt.datum.conflict == "conflict").mark_point(
        shape="circle", size=260, strokeWidth=2, color="#d00000", filled=False
    )
    chart = alt.layer(lines, dots, conflicts, title=title)
    return to_svg(_configured(chart))


def _kind(point: SeriesPoint) -> str:
    basis = f" ({point.basis})" if point.basis else ""
    return f"{point.measure}{basis}, {point.unit}"


def charted_points(points: Sequence[SeriesPoint]) -> list[SeriesPoint]:
    """The points of the (measure, basis, unit) with most reports: one y axis holds one kind of value."""
    totals: dict[tuple[str, str, str], int] = {}
    for p in points:
        key = (p.measure, p.basis, p.unit)
        totals[key] = totals.get(key, 0) + p.reports
    if not totals:
        return []
    best = min(totals, key=lambda k: (-totals[k], k))
    return [p for p in points if (p.measure, p.basis, p.unit) == best]
