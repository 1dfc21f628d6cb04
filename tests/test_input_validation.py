"""Run settings are checked in one place before anything is written, and long URL lists are split
into flow runs Prefect accepts."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import duckdb
import pytest

from etl import load
from etl.config import (
    FIRST_ISSUE,
    RUN_DEFAULTS,
    SettingError,
    Settings,
    check_article_url,
    check_issue_date,
    check_origin,
    check_warehouse,
    fetch_overrides_from_env,
    today_in_beijing,
)
from etl.extract import extract_indicators
from etl.extract.periods import PeriodResolver, find_time_references
from etl.fetch import FetchConfig
from flows.chunks import PREFECT_MAX_PARAMETER_BYTES, chunk_urls, combine_summaries, ingest_in_chunks
from flows.common import RunSummary

# -- fetch settings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field",
    ["delay", "jitter", "connect_timeout", "read_timeout", "backoff_base", "backoff_max", "max_crawl_delay"],
)
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_fetch_config_refuses_non_finite_numbers(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=f"{field} must be a finite number"):
        replace(FetchConfig(), **{field: value})


@pytest.mark.parametrize("field", ["connect_timeout", "read_timeout"])
@pytest.mark.parametrize("value", [0.0, -1.0])
def test_fetch_config_refuses_timeouts_that_are_not_positive(field: str, value: float) -> None:
    with pytest.raises(ValueError, match="must be positive"):
        replace(FetchConfig(), **{field: value})


BAD_FETCH_VARIABLES = [
    ("ETL_JITTER", "nan", "bad setting ETL_JITTER='nan': must be a finite number ≥ 0"),
    ("ETL_JITTER", "-0.5", "bad setting ETL_JITTER='-0.5': must be a finite number ≥ 0"),
    ("ETL_BACKOFF_BASE", "inf", "bad setting ETL_BACKOFF_BASE='inf': must be a finite number ≥ 0"),
    ("ETL_BACKOFF_MAX", "-1", "bad setting ETL_BACKOFF_MAX='-1': must be a finite number ≥ 0"),
    ("ETL_CONNECT_TIMEOUT", "0", "bad setting ETL_CONNECT_TIMEOUT='0': must be a finite number > 0"),
    ("ETL_READ_TIMEOUT", "-3", "bad setting ETL_READ_TIMEOUT='-3': must be a finite number > 0"),
    ("ETL_READ_TIMEOUT", "soon", "bad setting ETL_READ_TIMEOUT='soon': must be a finite number > 0"),
    ("ETL_MAX_ATTEMPTS", "abc", "bad setting ETL_MAX_ATTEMPTS='abc': must be a whole number ≥ 1"),
    ("ETL_MAX_ATTEMPTS", "0", "bad setting ETL_MAX_ATTEMPTS='0': must be a whole number ≥ 1"),
    ("ETL_MAX_ATTEMPTS", "2.5", "bad setting ETL_MAX_ATTEMPTS='2.5': must be a whole number ≥ 1"),
]


def test_fetch_variables_are_read_and_bad_ones_named_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    good = {"ETL_JITTER": "0", "ETL_MAX_ATTEMPTS": "2", "ETL_READ_TIMEOUT": "2.5"}
    for name, raw in good.items():
        monkeypatch.setenv(name, raw)
    assert fetch_overrides_from_env() == {"jitter": 0.0, "max_attempts": 2, "read_timeout": 2.5}
    for name, raw, message in BAD_FETCH_VARIABLES:
        monkeypatch.setenv(name, raw)
        with pytest.raises(SettingError) as caught:
            fetch_overrides_from_env()
        assert str(caught.value) == message
        monkeypatch.setenv(name, good.get(name, "1"))


# -- URLs, dates, warehouse paths -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("http://paper.people.com.cn", "http://paper.people.com.cn"),
        ("HTTP://Paper.People.com.cn/", "http://paper.people.com.cn"),
        ("HttpS://127.0.0.1:8080", "https://127.0.0.1:8080"),
    ],
)
def test_origins_are_normalised(given: str, normal: str) -> None:
    assert check_origin("base_url", given) == normal


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "ftp://paper.people.com.cn",
        "javascript:alert(1)",
        "paper.people.com.cn",
        "http://",
        "http://paper.people.com.cn/rmrb/",
        "http://paper.people.com.cn?x=1",
        "http://paper.people.com.cn/#top",
        "http://paper.people.com.cn:0x50",
    ],
)
def test_origins_other_than_http_scheme_and_host_are_refused(bad: str) -> None:
    with pytest.raises(SettingError, match="must be an http\\(s\\) origin"):
        check_origin("base_url", bad)


def test_article_urls_get_lower_case_schemes_and_hosts_only() -> None:
    url = "HTTP://Finance.People.com.cn/n1/2025/0903/c1004-40556677.html?From=A"
    assert (
        check_article_url("urls", url)
        == "http://finance.people.com.cn/n1/2025/0903/c1004-40556677.html?From=A"
    )
    for bad in ("ftp://x.cn/a.html", "mailto:a@b.cn", "http:///a.html", "http://x.cn/" + "a" * 9000):
        with pytest.raises(SettingError, match="must be an http\\(s\\) URL"):
            check_article_url("urls", bad)


def test_issue_dates_are_within_the_paper_s_archive() -> None:
    tomorrow = today_in_beijing() + dt.timedelta(days=1)
    assert check_issue_date("date", FIRST_ISSUE) == FIRST_ISSUE
    assert check_issue_date("date", tomorrow.isoformat()) == tomorrow
    for bad in (FIRST_ISSUE - dt.timedelta(days=1), tomorrow + dt.timedelta(days=1), dt.date.max):
        with pytest.raises(SettingError, match="the first issue"):
            check_issue_date("date", bad)
    with pytest.raises(SettingError, match="must be a date YYYY-MM-DD"):
        check_issue_date("date", "2025-02-30")


def test_warehouse_paths(tmp_path: Path) -> None:
    assert (
        check_warehouse("db", tmp_path / "new" / "deeper" / "wh.duckdb")
        == tmp_path / "new" / "deeper" / "wh.duckdb"
    )
    (tmp_path / "file").write_text("x")
    with pytest.raises(SettingError, match="is not writable"):
        check_warehouse("db", tmp_path / "file" / "wh.duckdb")
    with pytest.raises(SettingError, match="is a directory"):
        check_warehouse("db", tmp_path)
    not_duckdb = tmp_path / "notes.duckdb"
    not_duckdb.write_text("SQLite format 3\0")
    with pytest.raises(SettingError, match="is not a DuckDB file"):
        check_warehouse("db", not_duckdb, writable=False)
    real = tmp_path / "real.duckdb"
    duckdb.connect(str(real)).close()
    assert check_warehouse("db", real) == real
    assert not list(tmp_path.glob("new*"))  # checking creates nothing


# -- periods past the calendar ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "calendar_text", "calendar_published", "period"),
    [
        ("明年GDP增长5%。", dt.date(9999, 6, 1), "明年GDP增长5%。", dt.date(2025, 9, 3), "2026"),
        ("〇〇〇〇年GDP增长5%。", dt.date(2025, 9, 3), "二〇二四年GDP增长5%。", dt.date(2025, 9, 3), "2024"),
        ("去年12月份GDP增长5%。", dt.date(1, 6, 1), "去年12月份GDP增长5%。", dt.date(2025, 9, 3), "2024-12"),
        (
            "国庆期间销售额100亿元。",
            dt.date(1, 6, 1),
            "国庆期间销售额100亿元。",
            dt.date(2025, 9, 3),
            "2024-10",
        ),
        ("过去一年GDP增长5%。", dt.date(1, 2, 1), "过去一年GDP增长5%。", dt.date(2025, 2, 1), "2024"),
    ],
)
def test_a_year_no_date_can_hold_sets_no_period(
    text: str, published: dt.date, calendar_text: str, calendar_published: dt.date, period: str
) -> None:
    references = find_time_references(text, PeriodResolver(published))
    assert references and all(r.period is None for r in references)
    (indicator,) = extract_indicators(text, published)
    assert indicator.period is None and indicator.raw in text
    # the same reference within the calendar resolves as before
    (indicator,) = extract_indicators(calendar_text, calendar_published)
    assert indicator.period == period


# -- long URL lists ---------------------------------------------------------------------------------


def _urls(n: int) -> list[str]:
    return [
        f"http://www.people.com.cn/n1/2025/0903/c1004-{40_000_000 + i}.html?来源=人民日报" for i in range(n)
    ]


@pytest.mark.parametrize("limit", [200, 1_000, 64 * 1024])
def test_chunks_stay_under_their_size_keep_order_and_lose_nothing(limit: int) -> None:
    urls = _urls(3_000)
    chunks = chunk_urls(urls, limit)
    assert len(chunks) > 1
    assert [u for chunk in chunks for u in chunk] == urls
    assert all(chunk and len(json.dumps(chunk).encode()) <= limit for chunk in chunks)
    # greedy: the next URL would not have fitted
    assert all(len(json.dumps([*chunk, nxt[0]]).encode()) > limit for chunk, nxt in pairwise(chunks))


def test_ten_thousand_urls_make_flow_runs_prefect_accepts() -> None:
    from prefect._internal.schemas.validators import validate_parameter_size

    urls = _urls(10_000)
    with pytest.raises(ValueError, match="must be less than"):
        validate_parameter_size({"urls": urls}, PREFECT_MAX_PARAMETER_BYTES)
    for chunk in chunk_urls(urls):
        params = {"urls": chunk, "db": "/" + "d" * 4000, **RUN_DEFAULTS.flow_parameters()}
        validate_parameter_size(params, PREFECT_MAX_PARAMETER_BYTES)


def test_a_url_too_long_for_any_chunk_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        chunk_urls(["http://x.cn/" + "a" * 300], 200)
    assert chunk_urls([]) == []


def test_chunked_runs_make_one_summary_and_only_the_first_retries_failures() -> None:
    calls: list[tuple[list[str], bool]] = []

    def run_one(chunk: list[str], retry_failed: bool, batch_size: int) -> RunSummary:
        assert batch_size == RUN_DEFAULTS.batch_size  # a short list keeps the usual batches
        calls.append((chunk, retry_failed))
        summary = RunSummary(
            run_id=f"r{len(calls)}", flow="ingest_urls", status="ok", pages_fetched=len(chunk)
        )
        if len(calls) == 2:
            summary.status = "partial"
            summary.failures.append((chunk[0], "fetch", "HTTP 404"))
        return summary

    urls = _urls(30)
    combined = ingest_in_chunks(urls, run_one, max_bytes=1_000)
    assert [u for chunk, _ in calls for u in chunk] == urls
    assert [retry for _, retry in calls] == [True] + [False] * (len(calls) - 1)
    assert combined.status == "partial" and combined.pages_fetched == 30
    assert combined.failures == [(calls[1][0][0], "fetch", "HTTP 404")]
    assert combine_summaries([RunSummary("a", "f", "ok"), RunSummary("b", "f", "failed")]).status == "failed"


# -- the flows check their parameters before writing anything --------------------------------------


def _flow_cases() -> list[tuple[str, dict[str, str], Callable[[str], object], str]]:
    from flows.epaper import daily_epaper
    from flows.ingest import ingest_urls

    url = "http://www.people.com.cn/n1/2025/0903/c1004-1.html"
    return [
        ("date", {}, lambda db: daily_epaper(date="1900-01-01", db=db), "the first issue"),
        ("base_url", {}, lambda db: daily_epaper(base_url="javascript:alert(1)", db=db), "base_url"),
        ("delay", {}, lambda db: daily_epaper(delay=math.nan, db=db), "delay=nan"),
        ("jitter", {"ETL_JITTER": "nan"}, lambda db: daily_epaper(db=db), "ETL_JITTER='nan'"),
        ("url", {}, lambda db: ingest_urls(urls=[url, "ftp://x.cn/a.html"], db=db), "ftp://"),
        ("lock_wait", {}, lambda db: ingest_urls(urls=[url], db=db, lock_wait=math.inf), "lock_wait=inf"),
        ("batch_size", {}, lambda db: ingest_urls(urls=[url], db=db, batch_size=0), "batch_size"),
        (
            "attempts",
            {"ETL_MAX_ATTEMPTS": "0"},
            lambda db: ingest_urls(urls=[url], db=db),
            "ETL_MAX_ATTEMPTS",
        ),
    ]


@pytest.mark.parametrize("case", range(8))
def test_flows_refuse_bad_parameters_before_any_run_row(
    case: int, tmp_path: Path, prefect_harness: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _name, env, call, needle = _flow_cases()[case]
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    db = tmp_path / "wh.duckdb"
    load.start_run(db, "earlier-run", "ingest_urls", {})
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(ValueError, match=needle.replace("(", "\\(")):
        call(str(db))
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT run_id FROM runs").fetchall() == [("earlier-run",)]
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no lock file, no archive


def test_a_flow_refuses_a_db_that_is_not_duckdb(tmp_path: Path, prefect_harness: None) -> None:
    from flows.ingest import ingest_urls

    db = tmp_path / "wh.duckdb"
    db.write_text("not a database\n")
    with pytest.raises(ValueError, match="is not a DuckDB file"):
        ingest_urls(urls=["http://www.people.com.cn/n1/2025/0903/c1004-1.html"], db=str(db))
    assert db.read_text() == "not a database\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wh.duckdb"]
    with pytest.raises(SettingError):
        Settings.from_options(db)
