"""Conditional GETs (etl.fetch.conditional): a 304 only when the archive can give the body back, and
the archived body put back into the 304. A real RawArchive in tmp_path, a real server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultserver import FaultServer, FaultSpec

from etl.fetch import FetchConfig, Fetcher, RawArchive
from etl.fetch.conditional import fetch_conditionally, reusable_validators, with_archived_body
from etl.models import FetchResult, FetchStatus, Validators

PAGE = "<html><head><title>版面</title></head><body><p>　　国家统计局28日发布数据。</p></body></html>"
GBK_PAGE = "<html><body><p>朱镕基同志生平展在京开幕</p></body></html>".encode("gbk")
URL = "http://127.0.0.1/a.html"


@pytest.fixture
def archive(tmp_path: Path) -> RawArchive:
    return RawArchive(tmp_path / "raw")


def _damage(archive: RawArchive, sha256: str) -> None:
    archive.path_for(sha256).write_bytes(b"not a gzip stream")


def _not_modified(sha256: str | None) -> FetchResult:
    return FetchResult(
        URL, FetchStatus.NOT_MODIFIED, final_url=URL, http_status=304, sha256=sha256, etag='"v1"', attempts=1
    )


def test_only_validators_backed_by_an_intact_archived_body_are_sent(archive: RawArchive) -> None:
    intact = archive.put(PAGE.encode())
    damaged = archive.put(b"<p>damaged later</p>")
    _damage(archive, damaged)
    known = {
        "http://x/intact.html": Validators(etag='"a"', sha256=intact),
        "http://x/damaged.html": Validators(etag='"b"', sha256=damaged),
        "http://x/never-archived.html": Validators(etag='"c"', sha256=hashlib.sha256(b"gone").hexdigest()),
        "http://x/no-hash.html": Validators(etag='"d"'),
    }
    assert reusable_validators(known, archive) == {"http://x/intact.html": known["http://x/intact.html"]}


def test_a_304_gets_the_archived_body_back(archive: RawArchive) -> None:
    sha = archive.put(GBK_PAGE)
    result = with_archived_body(_not_modified(sha), Validators(etag='"v1"', sha256=sha), archive)
    assert result.status is FetchStatus.NOT_MODIFIED and result.sha256 == sha
    assert (result.text, result.encoding, result.decode_errors) == (GBK_PAGE.decode("gb18030"), "gb18030", 0)


def test_answers_other_than_a_304_with_validators_are_left_as_they_are(archive: RawArchive) -> None:
    sha = archive.put(PAGE.encode())
    ok = FetchResult(URL, FetchStatus.OK, http_status=200, text="<p>new</p>", sha256="f" * 64)
    sent = Validators(etag='"v1"', sha256=sha)
    assert with_archived_body(ok, sent, archive) is ok
    bare = _not_modified(sha)
    assert with_archived_body(bare, None, archive) is bare  # a 304 nobody asked for: the fetcher's failure
    assert with_archived_body(bare, Validators(etag='"v1"'), archive) is bare  # no body was ever archived


def test_a_304_whose_archived_body_vanished_stays_bodyless(archive: RawArchive) -> None:
    sha = hashlib.sha256(b"never stored").hexdigest()
    result = with_archived_body(_not_modified(sha), Validators(sha256=sha), archive)
    assert result.status is FetchStatus.NOT_MODIFIED and result.text is None  # compose: nothing to re-parse


def test_a_304_whose_archived_body_was_damaged_since_is_a_fetch_failure(archive: RawArchive) -> None:
    sha = archive.put(PAGE.encode())
    _damage(archive, sha)
    result = with_archived_body(_not_modified(sha), Validators(sha256=sha), archive)
    assert result.status is FetchStatus.FAILED and result.text is None
    assert result.error is not None and "\n" not in result.error
    assert result.error.startswith("not modified, but archived copy is damaged")
    assert result.error.endswith("the next run downloads it again")


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        running.route(
            "/a.html", FaultSpec(body=PAGE, etag='"v1"', last_modified="Fri, 28 Nov 2026 10:00:00 GMT")
        )
        yield running


def _fetcher(archive: RawArchive) -> Fetcher:
    return Fetcher(FetchConfig(allowed_hosts=("127.0.0.1",), delay=0.0, jitter=0.0), archive)


def _validators(result: FetchResult) -> Validators:
    return Validators(etag=result.etag, last_modified=result.last_modified, sha256=result.sha256)


def test_an_unchanged_page_is_asked_for_conditionally_and_read_from_the_archive(
    server: FaultServer, archive: RawArchive
) -> None:
    url = server.url("/a.html")
    with _fetcher(archive) as fetcher:
        (first,) = fetch_conditionally(fetcher, [url], {}, archive)
        (again,) = fetch_conditionally(fetcher, [url], {url: _validators(first)}, archive)
    assert (
        first.status is FetchStatus.OK and server.requests_for("/a.html")[0].header("If-None-Match") is None
    )
    assert server.requests_for("/a.html")[1].header("If-None-Match") == '"v1"'
    assert again.status is FetchStatus.NOT_MODIFIED and again.http_status == 304
    assert (again.text, again.sha256) == (first.text, first.sha256)
    assert isinstance(again.fetched_at, dt.datetime)


def test_a_damaged_archive_entry_or_refresh_means_an_unconditional_download(
    server: FaultServer, archive: RawArchive
) -> None:
    url = server.url("/a.html")
    with _fetcher(archive) as fetcher:
        (first,) = fetch_conditionally(fetcher, [url], {}, archive)
        known = {url: _validators(first)}
        (refreshed,) = fetch_conditionally(fetcher, [url], known, archive, refresh=True)
        assert first.sha256 is not None
        _damage(archive, first.sha256)
        (repaired,) = fetch_conditionally(fetcher, [url], known, archive)
    sent = [r.header("If-None-Match") for r in server.requests_for("/a.html")]
    assert sent == [None, None, None]
    assert refreshed.status is repaired.status is FetchStatus.OK and repaired.text == first.text
    assert archive.has(first.sha256)  # the download wrote the entry afresh
