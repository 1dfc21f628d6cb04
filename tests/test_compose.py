"""The pure per-page composition: what a page turns into, and that no page can take a batch down."""

from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from etl import compose, parse
from etl.fetch import decode_html
from etl.models import (
    Article,
    Failure,
    FetchResult,
    FetchStatus,
    PageKind,
    PageRef,
    ProcessedArticle,
    Retry,
)

SITE = Path(__file__).parent / "fixtures" / "site"
ARTICLE = "rmrb/pc/content/202509/03/content_30170121.html"
URL = "http://paper.people.com.cn/" + ARTICLE


def _ok(path: str, url: str = URL) -> FetchResult:
    decoded = decode_html((SITE / path).read_bytes())
    return FetchResult(
        url=url,
        status=FetchStatus.OK,
        http_status=200,
        text=decoded.text,
        encoding=decoded.encoding,
        attempts=1,
    )


def test_an_epaper_article_gets_its_layout_metadata() -> None:
    ref = PageRef(URL, PageKind.EPAPER_ARTICLE, issue_date=dt.date(2025, 9, 3), page_no=2, page_name="经济")
    first = compose.parse_article_page(ref, _ok(ARTICLE))
    assert not isinstance(first, Failure)
    done = compose.complete_article(ref, first)
    assert isinstance(done, ProcessedArticle)
    assert done.article.page_name == "经济" and done.article.published_at == dt.datetime(2025, 9, 3)
    assert done.indicators and all(i.raw for i in done.indicators)


def test_fetch_outcomes_become_failures_with_their_reason() -> None:
    ref = PageRef(URL, PageKind.EPAPER_ARTICLE)
    gone = FetchResult(url=URL, status=FetchStatus.NOT_FOUND, http_status=404, error="HTTP 404", attempts=1)
    failure = compose.parse_article_page(ref, gone)
    assert failure == Failure(URL, "fetch", "HTTP 404", 404, 1, PageKind.EPAPER_ARTICLE, retry=Retry.GONE)


@pytest.mark.parametrize(
    ("fetch", "retry"),
    [
        (FetchResult(URL, FetchStatus.NOT_FOUND, http_status=410, error="HTTP 410"), Retry.GONE),
        (FetchResult(URL, FetchStatus.FAILED, http_status=503, error="HTTP 503"), Retry.TRANSIENT),
        (FetchResult(URL, FetchStatus.DISALLOWED, error="robots.txt disallows it"), Retry.TRANSIENT),
        (
            FetchResult(URL, FetchStatus.DISALLOWED, error="host not allowed: x", host_not_allowed=True),
            Retry.NEVER,
        ),
        # A redirect to a host nobody named: the page's own host was allowed, the redirect may go away.
        (FetchResult(URL, FetchStatus.DISALLOWED, error="host not allowed: elsewhere"), Retry.TRANSIENT),
    ],
)
def test_a_fetch_failure_says_whether_the_next_runs_retry_it(fetch: FetchResult, retry: Retry) -> None:
    failure = compose.fetch_failure(PageRef(URL, PageKind.EPAPER_ARTICLE), fetch)
    assert failure is not None and (failure.stage, failure.retry) == ("fetch", retry)


def test_a_parser_crash_is_one_failed_page(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(html: str, url: str) -> object:
        raise IndexError("list index out of range")

    monkeypatch.setattr(parse, "parse_article", broken)
    failure = compose.parse_article_page(PageRef(URL, PageKind.EPAPER_ARTICLE), _ok(ARTICLE))
    assert isinstance(failure, Failure)
    assert (failure.stage, failure.reason) == ("parse", "IndexError: list index out of range")


def test_a_failed_continuation_page_fails_the_article() -> None:
    url = "http://finance.people.com.cn/n1/2025/0903/c1004-40556677.html"
    ref = PageRef(url, PageKind.PORTAL_ARTICLE)
    first = compose.parse_article_page(ref, _ok("n1/2025/0903/c1004-40556677.html", url))
    assert not isinstance(first, Failure) and first.next_pages
    broken = FetchResult(url=first.next_pages[0], status=FetchStatus.FAILED, error="HTTP 500 (gave up)")
    failure = compose.complete_article(ref, first, [broken])
    assert isinstance(failure, Failure) and failure.url == url
    assert failure.reason.startswith(f"continuation page {first.next_pages[0]}")

    gone = replace(broken, status=FetchStatus.NOT_FOUND, http_status=404, error="HTTP 404")
    refused = replace(broken, status=FetchStatus.DISALLOWED, error="host not allowed: x")
    refused = replace(refused, host_not_allowed=True)
    retries = [compose.complete_article(ref, first, [page]) for page in (broken, gone, refused)]
    expected = [Retry.TRANSIENT, Retry.GONE, Retry.TRANSIENT]
    assert [f.retry for f in retries if isinstance(f, Failure)] == expected


def test_a_batch_read_apart_from_its_fetcher_sets_continued_articles_aside() -> None:
    """What a task runner's worker gets and gives back: fetched pages in, finished articles, failed
    pages and first pages naming continuation pages (which the fetching process must fetch) out,
    all of it plain records that travel between processes."""
    portal_url = "http://finance.people.com.cn/n1/2025/0903/c1004-40556677.html"
    epaper = PageRef(URL, PageKind.EPAPER_ARTICLE, issue_date=dt.date(2025, 9, 3), page_no=2)
    portal = PageRef(portal_url, PageKind.PORTAL_ARTICLE)
    gone_url = URL.replace("30170121", "30170999")
    gone = PageRef(gone_url, PageKind.EPAPER_ARTICLE)
    pages = [
        (epaper, _ok(ARTICLE)),
        (portal, _ok("n1/2025/0903/c1004-40556677.html", portal_url)),
        (gone, FetchResult(gone_url, FetchStatus.NOT_FOUND, http_status=404, error="HTTP 404")),
    ]
    read = compose.read_article_pages(pages)
    assert [a.article.url for a in read.articles] == [URL]
    assert read.articles[0] == compose.complete_article(epaper, *_first(epaper, pages[0][1]))
    assert [(f.url, f.stage) for f in read.failures] == [(gone_url, "fetch")]
    ((ref, fetch, first),) = read.continued
    assert ref == portal and fetch is pages[1][1] and first.next_pages
    assert pickle.loads(pickle.dumps(read)) == read


def _first(ref: PageRef, fetch: FetchResult) -> tuple[Article, tuple[()], None, None]:
    first = compose.parse_article_page(ref, fetch)
    assert isinstance(first, Article)
    return first, (), fetch.fetched_at, fetch.sha256
