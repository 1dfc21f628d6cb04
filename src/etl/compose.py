"""Pure composition of the stages for one page: parse -> clean -> extract.

The flows do the I/O (fetch, archive, load) in batches and call these functions in between; nothing
here touches the network or the warehouse, so every step can be tested on a fixture string.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from etl import clean, extract, integrity, parse
from etl.models import (
    NOT_FOUND_STATUSES,
    Article,
    Failure,
    FailureStage,
    FetchedLayout,
    FetchResult,
    FetchStatus,
    LayoutPage,
    PageKind,
    PageRef,
    ProcessedArticle,
    Retry,
    SourceVersions,
)
from etl.urls import canonical_article_url


def fetch_failure(ref: PageRef, fetch: FetchResult) -> Failure | None:
    """The failure a fetch result stands for, or None when it delivered a body."""
    if fetch.status in (FetchStatus.OK, FetchStatus.NOT_MODIFIED) and fetch.text is not None:
        return None
    reason = fetch.error or {
        FetchStatus.NOT_FOUND: f"HTTP {fetch.http_status or 404}: page not found",
        FetchStatus.DISALLOWED: "not fetched: disallowed",
        FetchStatus.NOT_MODIFIED: "not modified, and no archived copy to re-parse",
    }.get(fetch.status, "fetch failed")
    return Failure(
        url=ref.url,
        stage=FailureStage.FETCH,
        reason=reason,
        http_status=fetch.http_status,
        attempts=fetch.attempts,
        kind=ref.kind,
        retry=_retry_after(fetch),
    )


def _retry_after(fetch: FetchResult) -> Retry:
    """What the next runs do about a page that did not fetch. A page on a host nobody named can
    never load by itself, and retrying it would widen the run's allowed hosts to it (a redirect to
    such a host is different: the page's own host was allowed, and the redirect may go away). A
    404/410 may still appear (an issue published late): a few more tries. Anything else may pass."""
    if fetch.host_not_allowed:
        return Retry.NEVER
    if fetch.http_status in NOT_FOUND_STATUSES:
        return Retry.GONE
    return Retry.TRANSIENT


def unchanged_since_load(stored: SourceVersions | None, current: SourceVersions) -> bool:
    """Whether a page needs no reading at all: its article is stored, was read from this very body
    (a single page: an article merged from continuation pages stores no body hash), by this parser
    version and this extractor version. Anything unknown on either side means read it again."""
    if stored is None or current.source is None:
        return False
    known = (current.source, current.parser_version, current.extractor_version)
    return None not in known and (stored.source, stored.parser_version, stored.extractor_version) == known


def source_digest(ref: PageRef, page_sha256: str | None) -> str | None:
    """One digest of what an article is made from besides the code: its page's body (sha256) and
    what discovery knew of it (the 版面's page, page name, editors, issue day and link text fill
    fields the page does not print). None without a body."""
    if page_sha256 is None:
        return None
    known = [page_sha256, ref.page_no, ref.page_name, list(ref.editors), ref.title_hint]
    known.append(ref.issue_date.isoformat() if ref.issue_date else None)
    return hashlib.sha256(json.dumps(known, ensure_ascii=False).encode("utf-8")).hexdigest()


def current_versions(ref: PageRef, fetch: FetchResult) -> SourceVersions:
    """What reading this fetch now would start from: its source (none when the fetch delivered no
    body) and the versions of the parser and extractor of this build."""
    has_body = fetch.status in (FetchStatus.OK, FetchStatus.NOT_MODIFIED) and fetch.text is not None
    return SourceVersions(
        source=source_digest(ref, fetch.sha256 if has_body else None),
        parser_version=parse.PARSER_VERSION,
        extractor_version=extract.EXTRACTOR_VERSION,
    )


def parse_layout_page(ref: PageRef, fetch: FetchResult) -> LayoutPage | Failure:
    if (failure := fetch_failure(ref, fetch)) is not None:
        return failure
    assert fetch.text is not None
    try:
        layout = parse.parse_layout(fetch.text, fetch.final_url or ref.url)
    except Exception as exc:
        return _parse_failure(ref, fetch, exc)
    if layout.issue_date is None and ref.issue_date is not None:
        layout = replace(layout, issue_date=ref.issue_date)
    if layout.page_no is None and ref.page_no is not None:
        layout = replace(layout, page_no=ref.page_no)
    return layout


def read_layout_page(ref: PageRef, fetch: FetchResult) -> FetchedLayout:
    """A fetched 版面 and what it reads as. A 200 page that only says the page does not exist (a
    soft 404, as some mirrors answer past a day's last 版面) becomes the 404 it stands for, so it
    ends the 版面 probe like one and is recorded as not found."""
    parsed = parse_layout_page(ref, fetch)
    if isinstance(parsed, Failure) and parse.is_soft_404(fetch):
        fetch = replace(
            fetch,
            status=FetchStatus.NOT_FOUND,
            error=f"HTTP {fetch.http_status or 200}: page says it does not exist (soft 404)",
        )
        parsed = parse_layout_page(ref, fetch)
    return FetchedLayout(ref, fetch, parsed)


def parse_article_page(ref: PageRef, fetch: FetchResult) -> Article | Failure:
    """First page of an article, parsed but not cleaned (its next_pages tell what else to fetch)."""
    if (failure := fetch_failure(ref, fetch)) is not None:
        return failure
    assert fetch.text is not None
    try:
        return parse.parse_article(fetch.text, fetch.final_url or ref.url)
    except Exception as exc:
        return _parse_failure(ref, fetch, exc)


@dataclass(slots=True)
class ReadPages:
    """A batch of fetched article pages read: the articles complete, the pages that failed, and the
    first pages that name continuation pages, which must be fetched before their articles are."""

    articles: list[ProcessedArticle] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    continued: list[tuple[PageRef, FetchResult, Article]] = field(default_factory=list)


def read_article_pages(pages: Sequence[tuple[PageRef, FetchResult]]) -> ReadPages:
    """Parse, clean and extract a batch of fetched article pages: what a task runner's workers do,
    away from the fetcher (its politeness) and the warehouse (its single writer)."""
    read = ReadPages()
    for ref, fetch in pages:
        first = parse_article_page(ref, fetch)
        if isinstance(first, Failure):
            read.failures.append(first)
        elif first.next_pages:
            read.continued.append((ref, fetch, first))
        else:
            done = complete_article(ref, first, (), fetch.fetched_at, fetch.sha256)
            if isinstance(done, Failure):
                read.failures.append(done)
            else:
                read.articles.append(done)
    return read


def _parse_failure(ref: PageRef, fetch: FetchResult, exc: Exception) -> Failure:
    """A page we cannot read costs that page, never the batch: a ParseError says why in its own
    words; anything else is a parser bug on an unexpected page, named by its type."""
    reason = str(exc) if isinstance(exc, parse.ParseError) else f"{type(exc).__name__}: {exc}"
    return Failure(ref.url, FailureStage.PARSE, reason, fetch.http_status, fetch.attempts, ref.kind)


def complete_article(
    ref: PageRef,
    first: Article,
    continuation: Sequence[FetchResult] = (),
    fetched_at: dt.datetime | None = None,
    page_sha256: str | None = None,
) -> ProcessedArticle | Failure:
    """Merge continuation pages, clean, fill what the 版面 page knew, and extract indicators.

    A continuation page that fails makes the whole article a failure: a truncated body would
    silently lose indicators, and the next run retries the article as a whole. `page_sha256`, the
    first page's body hash, makes the article's source digest only for an article of one page: a
    re-run can tell such a page unchanged without fetching anything else.
    """
    rest: list[Article] = []
    for fetch in continuation:
        page_ref = PageRef(fetch.url, PageKind.PORTAL_ARTICLE)
        parsed = parse_article_page(page_ref, fetch)
        if isinstance(parsed, Failure):
            # The article's own host was allowed: a continuation page on a host nobody named is
            # retried like a redirect to one, not given up on as a page of such a host.
            retry = Retry.TRANSIENT if parsed.retry is Retry.NEVER else parsed.retry
            why = f"continuation page {fetch.url}: {parsed.reason}"
            return replace(parsed, url=ref.url, reason=why, retry=retry)
        rest.append(parsed)
    article = parse.merge_pages(first, rest) if rest else first
    try:
        article = clean.clean_article(article)
    except Exception as exc:  # same rule as parsing: one page, not the batch
        return Failure(
            ref.url, FailureStage.PARSE, f"cleaning failed: {type(exc).__name__}: {exc}", kind=ref.kind
        )
    if not article.paragraphs:
        return Failure(ref.url, FailureStage.PARSE, "article body is empty after cleaning", kind=ref.kind)
    # A notice served in the article template must not replace a stored article with nothing.
    if (reason := integrity.error_page_reason(article)) is not None:
        return Failure(ref.url, FailureStage.PARSE, reason, kind=ref.kind)
    article = _with_ref_metadata(article, ref)
    try:
        indicators = extract.extract_article(article)
    except Exception as exc:  # an extractor bug must cost one article, not the run
        # a refusal (not article prose) says why in its own words; anything else is named by its type
        reason = str(exc) if isinstance(exc, extract.ExtractionRefused) else f"{type(exc).__name__}: {exc}"
        return Failure(ref.url, FailureStage.EXTRACT, reason, kind=ref.kind)
    return ProcessedArticle(
        article=article,
        indicators=indicators,
        fetched_at=fetched_at,
        source_digest=None if continuation else source_digest(ref, page_sha256),
    )


def _with_ref_metadata(article: Article, ref: PageRef) -> Article:
    """The article's own page wins; the 版面 page and URL fill what it does not say."""
    changes: dict[str, object] = {"url": canonical_article_url(ref.url)}
    if article.page_no is None and ref.page_no is not None:
        changes["page_no"] = ref.page_no
    if not article.page_name and ref.page_name:
        changes["page_name"] = ref.page_name
    if not article.editors and ref.editors:
        changes["editors"] = ref.editors
    if article.published_at is None and ref.issue_date is not None:
        changes["published_at"] = dt.datetime.combine(ref.issue_date, dt.time())
    if not article.title and ref.title_hint:
        changes["title"] = ref.title_hint
    return replace(article, **changes)  # type: ignore[arg-type]
