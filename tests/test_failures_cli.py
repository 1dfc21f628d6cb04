"""`etl failures` and its subcommands on a real warehouse: the listing (header, the line explaining
the columns, Beijing times, --json), `clear` by URL/host/date and `retry`, which fetches the selected
failures again through the real flows against the sample site copied to a temporary directory."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from click.testing import CliRunner, Result
from fixture_days import site_with_days

from etl.cli import main
from etl.demo import serve_directory

pytestmark = pytest.mark.usefixtures("prefect_harness")

DAY = dt.date(2025, 9, 5)  # a generated copy of the sample day
LATE_DAY = dt.date(2025, 9, 6)  # published late: its 版面 appear after the first run
PORTAL = "/n2/2025/0902/c134768-41234567.html"
MISSING = "/n1/2025/0903/c1004-99999999.html"


def _q(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _etl(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The sample site with one generated day; only the last test, retry, changes it."""
    root = site_with_days(tmp_path_factory.mktemp("site") / "site", [DAY])
    with serve_directory(root) as base:
        yield root, base


@pytest.fixture(scope="module")
def failed_once(tmp_path_factory: pytest.TempPathFactory, site: tuple[Path, str]) -> tuple[Path, str]:
    """A warehouse with three open failures: a portal article, a day's 版面 01, a missing e-paper article."""
    root, base = site
    db = tmp_path_factory.mktemp("warehouse") / "w.duckdb"
    article = next((root / "rmrb/pc/content" / f"{DAY:%Y%m}" / f"{DAY:%d}").glob("content_*.html"))
    article.rename(article.with_suffix(".later"))
    assert _etl("ingest", base + MISSING, "--db", str(db), "--delay", "0").exit_code == 1
    assert (
        _etl("run", "--date", str(LATE_DAY), "--db", str(db), "--base-url", base, "--delay", "0").exit_code
        == 1
    )
    assert _etl("run", "--date", str(DAY), "--db", str(db), "--base-url", base, "--delay", "0").exit_code == 1
    assert len(_q(db, "SELECT url FROM failures WHERE resolved_at IS NULL")) == 3
    return db, base


@pytest.fixture()
def failed(tmp_path: Path, failed_once: tuple[Path, str]) -> tuple[Path, str]:
    """A copy of that warehouse for one test to change."""
    db, base = failed_once
    shutil.copy(db, tmp_path / "w.duckdb")
    return tmp_path / "w.duckdb", base


def test_the_listing_has_a_header_explains_its_columns_and_shows_beijing_time(
    failed: tuple[Path, str],
) -> None:
    db, _base = failed
    listed = _etl("failures", "--db", str(db))
    assert listed.exit_code == 0, listed.output
    header, explained, *rows = listed.output.splitlines()
    assert header.split()[:3] == ["last", "failed", "stage"] and header.endswith("url  reason")
    assert explained.startswith("# last failed: Beijing time")
    stored = {
        url: (at, runs) for url, at, runs in _q(db, "SELECT url, last_failed_at, failure_count FROM failures")
    }
    assert len(rows) == len(stored) == 3
    for url, (last_failed, runs) in stored.items():
        (row,) = [r for r in rows if f" {url} " in r]
        assert isinstance(last_failed, dt.datetime)
        beijing = last_failed.replace(tzinfo=dt.UTC).astimezone(ZoneInfo("Asia/Shanghai"))
        assert row.startswith(f"{beijing:%Y-%m-%d %H:%M} CST")
        assert re.match(rf"\S+ \S+ CST +fetch +404 +{runs} +retry +{re.escape(url)}  HTTP 404", row), row

    as_json = _etl("failures", "--db", str(db), "--json")
    assert as_json.exit_code == 0
    document = json.loads(as_json.output)
    assert isinstance(document, list) and {f["url"] for f in document} == set(stored)
    for entry in document:
        assert entry["last_failed_at"].endswith("+08:00") and entry["retried_by_next_runs"] is True
        assert entry["http_status"] == 404 and entry["failure_count"] == stored[entry["url"]][1]


def test_clear_by_url_host_and_date(failed: tuple[Path, str]) -> None:
    db, base = failed
    assert _etl("failures", "clear", "--db", str(db)).exit_code == 2  # says what to clear, clears nothing
    assert (
        _etl("failures", "--db", str(db), "clear", "--url", base + MISSING).output
        == "cleared 1 open failure\n"
    )
    assert (
        _etl("failures", "clear", "--date", str(LATE_DAY), "--db", str(db)).output
        == "cleared 1 open failure\n"
    )
    assert _etl("failures", "clear", "--host", "paper.people.com.cn", "--db", str(db)).output == (
        "cleared 0 open failures\n"
    )
    left = _q(db, "SELECT url FROM failures WHERE resolved_at IS NULL")
    assert len(left) == 1 and f"/{DAY:%Y%m}/{DAY:%d}/content_" in str(left[0][0])
    assert (
        _etl("failures", "clear", "--host", "127.0.0.1", "--db", str(db)).output == "cleared 1 open failure\n"
    )
    assert _etl("failures", "--db", str(db)).output == "no open failures\n"


def test_retry_fetches_the_selected_failures_now(failed: tuple[Path, str], site: tuple[Path, str]) -> None:
    db, base = failed
    root, _ = site
    # The missing pages appear: the late day's paper and the day's last article.
    for hidden in root.rglob("*.later"):
        hidden.rename(hidden.with_suffix(".html"))
    site_with_days(root.parent / "late", [LATE_DAY])
    for part in ("layout", "content"):
        src = root.parent / "late/rmrb/pc" / part / f"{LATE_DAY:%Y%m}" / f"{LATE_DAY:%d}"
        src.rename(root / "rmrb/pc" / part / f"{LATE_DAY:%Y%m}" / f"{LATE_DAY:%d}")

    only_day = _etl("failures", "retry", "--date", str(DAY), "--db", str(db), "--delay", "0")
    assert only_day.exit_code == 0, only_day.output
    assert _q(db, f"SELECT count(*) FROM articles WHERE published_date = DATE '{DAY}'") == [(5,)]
    assert len(_q(db, "SELECT url FROM failures WHERE resolved_at IS NULL")) == 2

    everything = _etl("failures", "retry", "--db", str(db), "--delay", "0")
    assert everything.exit_code == 1  # the portal article is still missing: that run failed
    assert _q(db, f"SELECT count(*) FROM articles WHERE published_date = DATE '{LATE_DAY}'") == [(5,)]
    assert _q(db, "SELECT url FROM failures WHERE resolved_at IS NULL") == [(base + MISSING,)]
    assert _q(db, "SELECT failure_count FROM failures WHERE resolved_at IS NULL") == [(2,)]
