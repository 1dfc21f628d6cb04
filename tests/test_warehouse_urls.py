"""Live URLs and zoned times: `etl.urls.live_url`, and the migration that gives rows stored before it
the same canonical_url and the right instants."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.load import migrate, migration_files
from etl.urls import live_url

CASES = {
    # Read from a mirror or saved copy: the live site's host, path kept.
    "http://127.0.0.1:8080/rmrb/pc/content/202509/03/content_30170118.html": (
        "http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170118.html"
    ),
    "https://mirror.example.org/rmrb/html/2019-03/01/nw.D110000renmrb_20190301_3-04.htm": (
        "http://paper.people.com.cn/rmrb/html/2019-03/01/nw.D110000renmrb_20190301_3-04.htm"
    ),
    "http://[::1]:9000/rmrbhwb/pc/layout/202412/25/node_01.html": (
        "http://paper.people.com.cn/rmrbhwb/pc/layout/202412/25/node_01.html"
    ),
    "http://localhost:1/n1/2025/0903/c1004-40556677.html": "http://www.people.com.cn/n1/2025/0903/c1004-40556677.html",
    # A continuation page names its article's first page.
    "http://10.0.0.2/n2/2025/0902/c134768-41234567-2.html": (
        "http://www.people.com.cn/n2/2025/0902/c134768-41234567.html"
    ),
    # On the live site already: its own URL, host in lower case, fragment dropped.
    "http://Finance.People.com.cn/n1/2025/0903/c1004-40556677.html#top": (
        "http://finance.people.com.cn/n1/2025/0903/c1004-40556677.html"
    ),
    "https://www.people.cn/GB/1004/12345.html?from=rss": "https://www.people.cn/GB/1004/12345.html?from=rss",
    "http://paper.people.com.cn/rmrb/pc/content/202509/03/content_1.html": (
        "http://paper.people.com.cn/rmrb/pc/content/202509/03/content_1.html"
    ),
    # Another host, and a path that is not the paper's: nothing to say.
    "http://example.org/news/1.html": None,
    "http://notpeople.com.cn/n1/x.html": None,
}


@pytest.mark.parametrize(("url", "expected"), CASES.items())
def test_live_url(url: str, expected: str | None) -> None:
    assert live_url(url) == expected


JUNK = ("", "not a url", "http://[::1/x", "ftp://paper.people.com.cn/x", "http:///rmrb/pc/x")


def test_live_url_never_raises_on_junk() -> None:
    for junk in JUNK:
        assert live_url(junk) is None


def test_the_warehouse_macro_agrees_with_the_loader() -> None:
    # The loader fills canonical_url with etl.urls.live_url; views and old rows use the SQL macro.
    con = duckdb.connect()
    try:
        migrate(con)
        from_sql = {url: con.execute("SELECT live_url(?)", [url]).fetchall()[0][0] for url in CASES}
        junk = [con.execute("SELECT live_url(?)", [url]).fetchall()[0][0] for url in JUNK]
    finally:
        con.close()
    assert from_sql == {url: live_url(url) for url in CASES}
    assert junk == [None] * len(JUNK)


def _migration_adding(column: str) -> int:
    return next(
        v for v, path in migration_files() if f"ADD COLUMN {column}" in path.read_text(encoding="utf-8")
    )


def _sql_dir_up_to(tmp_path: Path, last: int) -> Path:
    sql_dir = tmp_path / f"sql{last}"
    (sql_dir / "migrations").mkdir(parents=True)
    for version, path in migration_files():
        if version <= last:
            shutil.copy(path, sql_dir / "migrations" / path.name)
    return sql_dir


def test_the_migration_fills_canonical_url_and_zones_old_rows_as_the_loader_would(tmp_path: Path) -> None:
    before = _migration_adding("canonical_url") - 1
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        migrate(con, _sql_dir_up_to(tmp_path, before))
        # Rows as the loader wrote them before: naive Beijing wall time, naive UTC.
        for number, url in enumerate(CASES):
            con.execute(
                "INSERT INTO articles (article_id, url, title, published_at, template, paragraph_count, "
                "body_text, content_hash, extractor_version, fetched_at, loaded_at, run_id) "
                "VALUES (?, ?, 't', TIMESTAMP '2025-09-03 08:15:00', 'x', 1, 'b', 'h', 'v', "
                "TIMESTAMP '2025-09-03 00:30:00', TIMESTAMP '2025-09-03 01:00:00', 'r')",
                [f"a{number}", url],
            )
        con.execute(
            "INSERT INTO failures (url, stage, reason, failure_count, first_failed_at, last_failed_at) "
            "VALUES ('http://x/1', 'fetch', 'r', 1, "
            "TIMESTAMP '2025-09-03 02:00:00', TIMESTAMP '2025-09-03 03:00:00')"
        )
        migrate(con)
        con.execute("SET TimeZone = 'UTC'")
        stored = dict(con.execute("SELECT url, canonical_url FROM articles").fetchall())
        times = con.execute("SELECT DISTINCT published_at, fetched_at, loaded_at FROM articles").fetchall()
        failed = con.execute("SELECT first_failed_at, last_failed_at FROM failures").fetchall()
    finally:
        con.close()
    assert stored == {url: live_url(url) for url in CASES}
    utc = dt.UTC
    assert times == [
        (
            dt.datetime(2025, 9, 3, 0, 15, tzinfo=utc),  # 08:15 in Beijing
            dt.datetime(2025, 9, 3, 0, 30, tzinfo=utc),
            dt.datetime(2025, 9, 3, 1, 0, tzinfo=utc),
        )
    ]
    assert failed == [(dt.datetime(2025, 9, 3, 2, tzinfo=utc), dt.datetime(2025, 9, 3, 3, tzinfo=utc))]


def test_every_stored_time_carries_its_zone() -> None:
    con = duckdb.connect()
    try:
        migrate(con)
        naive = con.execute(
            "SELECT table_name || '.' || column_name FROM duckdb_columns() "
            "WHERE NOT internal AND data_type = 'TIMESTAMP'"
        ).fetchall()
    finally:
        con.close()
    assert naive == []


@pytest.mark.slow
def test_the_sample_site_loads_live_urls_and_beijing_times(sample_warehouse: Path) -> None:
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        con.execute("SET TimeZone = 'Asia/Shanghai'")
        rows = con.execute(
            "SELECT url, canonical_url, published_at::VARCHAR, published_date FROM articles ORDER BY url"
        ).fetchall()
        views = con.execute(
            "SELECT (SELECT count(*) FROM v_indicators WHERE canonical_url IS NULL), "
            "(SELECT count(*) FROM v_captions WHERE canonical_url IS NULL)"
        ).fetchall()
    finally:
        con.close()
    assert len(rows) == 7
    for url, canonical, published, day in rows:
        assert url.startswith("http://127.0.0.1:")  # served by the local copy of the site
        assert canonical == live_url(url)
        assert canonical.startswith(("http://paper.people.com.cn/", "http://www.people.com.cn/"))
        # The day in Beijing, and a Beijing time of that day.
        assert published.startswith(day.isoformat()) and published.endswith("+08")
    assert views == [(0, 0)]
