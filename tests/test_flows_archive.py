"""A damaged raw-archive file never blocks a page: the next run downloads the page again, archives it
afresh and loads nothing twice; a copy damaged while a run reads it costs that page one failure row."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from faultserver import FaultServer, FaultSpec

from etl.fetch import ArchiveCorrupt, RawArchive
from flows.common import summary_of
from flows.ingest import ingest_urls

DAY = "2025-09-03"
ETL = str(Path(sys.executable).parent / "etl")
SITE = Path(__file__).parent / "fixtures" / "site"
PORTAL_GBK = "/n2/2025/0902/c134768-41234567.html"
PORTAL_UTF8 = "/n1/2025/0903/c1004-40556677.html"


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip_a_bit(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10  # inside the deflate stream, past the gzip header
    path.write_bytes(bytes(data))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


DAMAGES: list[Callable[[Path], None]] = [_truncate, _flip_a_bit, _empty]


@pytest.fixture(scope="module")
def prefect_env(prefect_harness: None) -> Iterator[dict[str, str]]:
    """Point the subprocesses at the session's test server instead of starting one each."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    env.pop("ETL_DB", None)
    env.pop("ETL_ARCHIVE", None)
    yield env


def _q(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _archived(db: Path) -> dict[str, str]:
    """url -> sha256 of every page with an archived body."""
    rows = _q(db, "SELECT url, sha256 FROM pages WHERE sha256 IS NOT NULL ORDER BY url")
    return {str(url): str(sha) for url, sha in rows}


def _all_intact(archive: RawArchive, shas: dict[str, str]) -> bool:
    for sha in shas.values():
        try:
            archive.get(sha)
        except (KeyError, ArchiveCorrupt):
            return False
    return True


def test_damaged_archive_files_are_fetched_again_and_repaired(
    tmp_path: Path, site_url: str, prefect_env: dict[str, str]
) -> None:
    db = tmp_path / "w.duckdb"
    archive = RawArchive(tmp_path / "raw")

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        args = ["run", "--date", DAY, "--db", str(db), "--base-url", site_url, "--delay", "0", *extra]
        return subprocess.run([ETL, *args], env=prefect_env, capture_output=True, text=True, timeout=300)

    first = run()
    assert first.returncode == 0, first.stderr
    articles = _q(db, "SELECT url, content_hash FROM articles ORDER BY url")
    indicators = _q(db, "SELECT count(*) FROM indicators")
    pages = _archived(db)
    assert len(articles) == 5 and _all_intact(archive, pages)
    article_pages = sorted(url for url in pages if "/content/" in url)

    for refresh in ((), ("--refresh",)):
        for damage, url in zip(DAMAGES, article_pages, strict=False):
            damage(archive.path_for(pages[url]))
        assert not _all_intact(archive, pages)

        again = run(*refresh)

        assert again.returncode == 0, again.stderr
        assert "FAILED" not in again.stderr
        assert _archived(db) == pages  # the same bytes, under the same names ...
        assert _all_intact(archive, pages)  # ... and every entry reads back whole again
        assert _q(db, "SELECT url, content_hash FROM articles ORDER BY url") == articles
        assert _q(db, "SELECT count(*) FROM indicators") == indicators
        assert _q(db, "SELECT count(*) FROM failures") == [(0,)]
        assert not list((tmp_path / "raw").rglob(".tmp-*"))  # no half-written files left behind
    # Without --refresh only the three damaged pages were downloaded; the rest answered 304.
    assert _q(db, "SELECT pages_fetched, pages_not_modified FROM runs ORDER BY started_at") == [
        (len(pages), 0),
        (3, len(pages) - 3),
        (len(pages), 0),
    ]
    assert _q(db, "SELECT status FROM runs ORDER BY started_at") == [("ok",), ("ok",), ("ok",)]


@pytest.mark.usefixtures("prefect_harness")
def test_a_copy_damaged_during_the_run_is_one_failure_and_the_next_run_downloads_it(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    archive = RawArchive(tmp_path / "raw")
    body = (SITE / PORTAL_GBK.lstrip("/")).read_bytes()
    with FaultServer(root=SITE) as site:
        site.route(PORTAL_GBK, FaultSpec(body=body, content_type="text/html", etag='"v1"'))
        urls = [site.url(PORTAL_GBK), site.url(PORTAL_UTF8)]
        first = summary_of(ingest_urls(urls=urls, db=str(db), delay=0, return_state=True))
        assert first.failures == [] and first.counts.articles_loaded == 2
        sha = _archived(db)[site.url(PORTAL_GBK)]
        articles = _q(db, "SELECT url, content_hash FROM articles ORDER BY url")

        # The archive file is emptied after the run checked it and before it reads it back.
        site.route(
            PORTAL_GBK,
            FaultSpec(
                body=body,
                content_type="text/html",
                etag='"v1"',
                on_request=lambda: _empty(archive.path_for(sha)),
            ),
        )
        second = summary_of(ingest_urls(urls=urls, db=str(db), delay=0, return_state=True))

        assert site.requests_for(PORTAL_GBK)[-1].header("If-None-Match") == '"v1"'
        [(url, stage, reason)] = second.failures
        assert (url, stage) == (site.url(PORTAL_GBK), "fetch")
        assert reason.startswith("not modified, but archived copy is damaged (empty file)")
        assert reason.endswith("the next run downloads it again") and "\n" not in reason
        assert second.counts.articles_unchanged == 1  # the other page of the batch still loaded
        assert _q(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL") == [(1,)]

        site.route(PORTAL_GBK, FaultSpec(body=body, content_type="text/html", etag='"v1"'))
        third = summary_of(
            ingest_urls(urls=[], db=str(db), delay=0, return_state=True)
        )  # retries the open failure by itself

        assert site.requests_for(PORTAL_GBK)[-1].header("If-None-Match") is None  # unconditional
        assert third.failures == [] and third.counts.articles_unchanged == 1
        assert archive.get(sha) == body
        assert _q(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL") == [(0,)]
        assert _q(db, "SELECT url, content_hash FROM articles ORDER BY url") == articles
