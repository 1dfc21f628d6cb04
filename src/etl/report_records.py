"""The records an analyst report is drawn from: what etl.load.report_data reads from the warehouse
and etl.report renders, so the renderer never touches DuckDB and the queries never build HTML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DayCounts:
    """One issue date of one site (epaper | portal), from v_daily."""

    day: dt.date
    site: str
    articles: int
    indicators: int
    failures: int


@dataclass(frozen=True, slots=True)
class MetricReports:
    """A metric_key, the distinct articles that reported it, and how many series it has."""

    metric_key: str
    reports: int
    series: int


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One row of v_indicator_series for the chosen metric_key."""

    measure: str
    basis: str
    unit: str
    region: str
    period: str
    period_end: dt.date | None
    value: float
    min_value: float
    max_value: float
    reports: int
    last_reported: dt.date | None
    conflict: bool


@dataclass(frozen=True, slots=True)
class LatestIndicator:
    """An indicator of the latest articles, with the article it links to and its sentence."""

    published_date: dt.date | None
    title: str
    url: str
    metric: str
    measure: str
    value: float
    unit: str
    raw: str
    period: str
    region: str
    sentence: str


@dataclass(frozen=True, slots=True)
class ReportData:
    warehouse: str  # the file name, as the page's heading names it
    generated_at: dt.datetime  # UTC
    since: dt.date | None
    metric_key: str | None  # the series charted; None when the warehouse has no indicators
    days: tuple[DayCounts, ...]
    top_metrics: tuple[MetricReports, ...]
    series: tuple[SeriesPoint, ...]
    latest: tuple[LatestIndicator, ...]
