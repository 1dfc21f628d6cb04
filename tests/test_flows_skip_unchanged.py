"""A re-run of a fixture day against the sample site on 127.0.0.1 reads nothing it already loaded:
no page parsed or extracted, no row rewritten; --refresh and a new parser version read again."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl import parse
from flows.epaper import daily_epaper

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.slow]

DAY = "2025-09-03"
ARTICLES = 5  # the fixture day's articles, each on one page


def _q(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _articles(db: Path) -> list[tuple[object, ...]]:
    # loaded_at and run_id say when a row was written: equal rows prove nothing was rewritten.
    return _q(db, "SELECT * FROM articles ORDER BY article_id")


def _skipped_per_run(db: Path) -> list[object]:
    return [n for (n,) in _q(db, "SELECT pages_skipped_unchanged FROM runs ORDER BY started_at")]


def test_a_rerun_reads_nothing_that_did_not_change(tmp_path: Path, site_url: str) -> None:
    db = tmp_path / "w.duckdb"
    first = daily_epaper(date=DAY, db=str(db), base_url=site_url, delay=0)
    assert first.failures == [] and first.counts.articles_loaded == ARTICLES
    assert first.counts.pages_skipped_unchanged == 0
    assert _q(db, "SELECT DISTINCT parser_version FROM articles") == [(parse.PARSER_VERSION,)]
    assert _q(db, "SELECT count(*) FROM articles WHERE source_digest IS NULL") == [(0,)]
    loaded = _articles(db)

    again = daily_epaper(date=DAY, db=str(db), base_url=site_url, delay=0)
    assert again.failures == [] and again.counts.articles_loaded == 0
    assert (again.counts.articles_unchanged, again.counts.pages_skipped_unchanged) == (ARTICLES, ARTICLES)
    assert _articles(db) == loaded

    # --refresh downloads and reads every page again; the same record rewrites nothing.
    forced = daily_epaper(date=DAY, db=str(db), base_url=site_url, delay=0, refresh=True)
    assert (forced.counts.articles_unchanged, forced.counts.pages_skipped_unchanged) == (ARTICLES, 0)
    assert _articles(db) == loaded

    # Articles an older parser read are read again by this one, then skipped by the next run.
    con = duckdb.connect(str(db))
    try:
        con.execute("UPDATE articles SET parser_version = '0.0.1'")
    finally:
        con.close()
    upgraded = daily_epaper(date=DAY, db=str(db), base_url=site_url, delay=0)
    assert (upgraded.counts.articles_unchanged, upgraded.counts.pages_skipped_unchanged) == (ARTICLES, 0)
    assert _q(db, "SELECT DISTINCT parser_version FROM articles") == [(parse.PARSER_VERSION,)]
    # Only the parser version moved: the record, loaded_at and run_id are as the first run wrote them.
    assert _q(db, "SELECT parser_version FROM articles") == [(parse.PARSER_VERSION,)] * ARTICLES
    assert _articles(db) == loaded
    final = daily_epaper(date=DAY, db=str(db), base_url=site_url, delay=0)
    assert final.counts.pages_skipped_unchanged == ARTICLES
    assert _articles(db) == loaded
    assert _skipped_per_run(db) == [0, ARTICLES, 0, 0, ARTICLES]
