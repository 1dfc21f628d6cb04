"""Pages whose bytes are damaged or are not text, crawled through a real server into a real warehouse:
a stray byte costs one character and is counted; bytes that are no text become a failure row."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from faultserver import FaultServer, FaultSpec

from etl import compose
from etl.models import FetchResult, FetchStatus, PageKind, PageRef, ProcessedArticle
from flows.common import summary_of
from flows.ingest import ingest_urls

pytestmark = pytest.mark.usefixtures("prefect_harness")

SITE = Path(__file__).parent / "fixtures" / "site"
ARTICLE = "/rmrb/pc/content/202509/03/content_30170121.html"
PORTAL_GBK = "/n2/2025/0902/c134768-41234567.html"


@pytest.fixture()
def site() -> Iterator[FaultServer]:
    with FaultServer(root=SITE) as server:
        yield server


def _q(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _expected(url: str, raw: bytes) -> ProcessedArticle:
    """What the undamaged page gives, straight through the stages."""
    ref = PageRef(url, PageKind.EPAPER_ARTICLE)
    fetch = FetchResult(url=url, status=FetchStatus.OK, text=raw.decode("utf-8"), encoding="utf-8")
    first = compose.parse_article_page(ref, fetch)
    assert not isinstance(first, compose.Failure)
    done = compose.complete_article(ref, first)
    assert isinstance(done, ProcessedArticle)
    return done


def test_a_stray_byte_in_a_utf8_article_costs_one_character(tmp_path: Path, site: FaultServer) -> None:
    db = tmp_path / "w.duckdb"
    clean = (SITE / ARTICLE.lstrip("/")).read_bytes()
    # One byte that is not UTF-8, in a <head> comment, on a page whose header says GB2312.
    damaged = clean.replace(b"</head>", b"<!-- \xff --></head>", 1)
    assert damaged != clean
    site.route(ARTICLE, FaultSpec(body=damaged, content_type="text/html; charset=GB2312"))
    expected = _expected(site.url(ARTICLE), clean)
    assert expected.indicators

    summary = summary_of(ingest_urls(urls=[site.url(ARTICLE)], db=str(db), delay=0, return_state=True))

    assert summary.failures == [] and summary.counts.articles_loaded == 1
    assert _q(db, "SELECT title, body_text FROM articles") == [
        (expected.article.title, expected.article.body_text)
    ]
    assert sorted(_q(db, "SELECT metric, value, unit, raw, char_start FROM indicators")) == sorted(
        (i.metric, i.value, i.unit, i.raw, i.char_start) for i in expected.indicators
    )
    assert _q(db, "SELECT encoding, decode_errors FROM pages") == [("utf-8", 1)]


def test_a_page_of_binary_bytes_is_a_failure_row_retried_next_run(tmp_path: Path, site: FaultServer) -> None:
    db = tmp_path / "w.duckdb"
    site.route(PORTAL_GBK, FaultSpec(body=random.Random(11).randbytes(40_000)))

    first = summary_of(ingest_urls(urls=[site.url(PORTAL_GBK)], db=str(db), delay=0, return_state=True))

    [(url, stage, reason)] = first.failures
    assert (url, stage) == (site.url(PORTAL_GBK), "fetch")
    assert reason.startswith("undecodable: ") and reason.endswith("not a text page")
    assert _q(db, "SELECT count(*) FROM articles") == [(0,)]
    assert _q(db, "SELECT stage, resolved_at FROM failures") == [("fetch", None)]

    site.unroute(PORTAL_GBK)  # the real page (GBK) is back
    second = summary_of(ingest_urls(urls=[], db=str(db), delay=0, return_state=True))
    assert second.failures == [] and second.counts.articles_loaded == 1
    assert _q(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL") == [(0,)]
    assert _q(db, "SELECT status, encoding, decode_errors FROM pages") == [("ok", "gb18030", 0)]
