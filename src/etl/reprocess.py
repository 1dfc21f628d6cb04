"""Reprocessing: archived article pages read again with the current parser, cleaner and extractor.

Every fetched page's raw bytes are in the archive (`etl.fetch.RawArchive`), so an improved parser
or extractor can reach every article already loaded without a single request. A page is read as the
run that fetched it read it: the body decoded from the archived bytes, links resolved against the
URL it was served from, continuation pages stitched onto the first page, and an e-paper article
given what its 版面 page says about it (page number, page name, 本版责编), from the archived 版面.

Nothing here touches the network or the warehouse: `etl.load.archived_pages` chooses the pages,
`reprocess_batch` turns a batch of them into records (in a Prefect task, possibly on a Dask
worker), and `etl.load.replace_articles` writes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

# The composition of one page (parse -> clean -> extract), exactly as a crawl runs it.
from etl.compose import complete_article, parse_article_page, parse_layout_page
from etl.discover import MAX_CONTINUATION_PAGES, article_refs, capped_entries
from etl.fetch import ArchiveCorrupt, RawArchive, Undecodable, decode_html
from etl.models import (
    ArchivedArticle,
    ArchivedPage,
    Failure,
    FailureStage,
    FetchResult,
    FetchStatus,
    LayoutPage,
    PageKind,
    PageRef,
    ProcessedArticle,
)
from etl.urls import canonical_article_url, date_from_url, epaper_layout_page_no, path_of, source_key


@dataclass(slots=True)
class ReprocessedBatch:
    """What re-reading a batch of archived articles produced: small records, picklable, so a batch
    can be read on a Dask worker and loaded by the flow."""

    articles: list[ProcessedArticle] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def read_archived(page: ArchivedPage, archive: RawArchive) -> FetchResult:
    """The archived body of `page` as the fetch that stored it delivered it; a copy that is missing,
    damaged or no longer decodes is a failed fetch saying so (`etl.compose` makes it a failure)."""
    try:
        decoded = decode_html(archive.get(page.sha256), page.encoding)
    except KeyError:
        error = f"no archived copy of the page to read again (sha256 {page.sha256} is not in the archive)"
    except ArchiveCorrupt as exc:
        error = str(exc)
    except Undecodable as exc:
        error = f"archived copy does not decode: {exc}"
    else:
        return FetchResult(
            url=page.url,
            status=FetchStatus.OK,
            final_url=page.final_url,
            text=decoded.text,
            encoding=decoded.encoding,
            decode_errors=decoded.replaced,
            sha256=page.sha256,
            fetched_at=page.fetched_at,
        )
    return FetchResult(url=page.url, status=FetchStatus.FAILED, final_url=page.final_url, error=error)


def _layout_ref(page: ArchivedPage) -> PageRef:
    """The 版面 as the day's probe asked for it: its day and number come from its URL."""
    day = date_from_url(path_of(page.url))
    return PageRef(page.url, PageKind.EPAPER_LAYOUT, issue_date=day, page_no=epaper_layout_page_no(page.url))


def read_layouts(
    layouts: Iterable[ArchivedPage], archive: RawArchive
) -> tuple[dict[dt.date | None, list[LayoutPage]], list[Failure]]:
    """The archived 版面 pages parsed, per issue day in page order, and a failure for each that
    cannot be read (missing or damaged copy, or a page the parser no longer reads)."""
    by_day: dict[dt.date | None, list[LayoutPage]] = {}
    failures: list[Failure] = []
    for page in sorted(layouts, key=lambda p: (epaper_layout_page_no(p.url) or 0, p.url)):
        ref = _layout_ref(page)
        parsed = parse_layout_page(ref, read_archived(page, archive))
        if isinstance(parsed, Failure):
            failures.append(parsed)
            continue
        by_day.setdefault(ref.issue_date, []).append(capped_entries(parsed)[0])
    return by_day, failures


def plan(
    articles: Sequence[ArchivedPage],
    continuations: Sequence[ArchivedPage],
    layouts: Sequence[ArchivedPage],
    archive: RawArchive,
) -> tuple[list[ArchivedArticle], list[Failure]]:
    """The articles to re-read, each with its 版面 metadata and continuation pages, and the
    failures found on the way: 版面 pages that cannot be read, and the e-paper articles of their
    day that no readable 版面 lists (what they would lose, page and editors, is not guessed: their
    stored rows stay until the day's 版面 can be read again)."""
    by_day, failures = read_layouts(layouts, archive)
    listed: dict[str, PageRef] = {}
    for day, day_layouts in by_day.items():
        for ref in article_refs(day_layouts, day):
            listed.setdefault(source_key(ref.url), ref)
    unreadable = {date_from_url(path_of(f.url)): f.url for f in failures}  # only 版面 failures so far
    pages_of: dict[str, list[ArchivedPage]] = {}
    for page in continuations:
        pages_of.setdefault(canonical_article_url(page.url), []).append(page)
    planned: list[ArchivedArticle] = []
    for page in articles:
        listed_ref = listed.get(source_key(page.url))
        # The 版面 may list the article on another host (a mirror): the archived page's URL is read.
        ref = (
            replace(listed_ref, url=page.url)
            if listed_ref is not None
            else PageRef(page.url, page.kind, issue_date=date_from_url(path_of(page.url)))
        )
        if listed_ref is None and page.kind is PageKind.EPAPER_ARTICLE and ref.issue_date in unreadable:
            reason = (
                f"not reprocessed: 版面 {unreadable[ref.issue_date]} of its day cannot be read from "
                "the archive; the stored rows stay"
            )
            failures.append(Failure(page.url, FailureStage.FETCH, reason, kind=page.kind))
            continue
        planned.append(ArchivedArticle(ref, page, tuple(pages_of.get(canonical_article_url(page.url), ()))))
    return planned, failures


def reprocess_article(item: ArchivedArticle, archive: RawArchive) -> ProcessedArticle | Failure:
    """Parse, clean and extract one archived article as a crawl would have: its continuation pages
    (those its first page links, at most MAX_CONTINUATION_PAGES) are read from the archive too, and
    one that is missing or damaged fails the article, as a failed download does in a crawl."""
    first = parse_article_page(item.ref, read_archived(item.first, archive))
    if isinstance(first, Failure):
        return first
    archived = {page.url: page for page in item.continuations}
    more: list[FetchResult] = []
    for url in first.next_pages[:MAX_CONTINUATION_PAGES]:
        page = archived.get(url)
        fetch = (
            read_archived(page, archive)
            if page is not None
            else FetchResult(url, FetchStatus.FAILED, error="no archived copy (the page was never fetched)")
        )
        more.append(fetch)
        if fetch.status is FetchStatus.FAILED:
            break  # the article fails with this page; those after it are not needed
    # The body's hash makes the source digest a crawl stores, so a later crawl can skip the page.
    return complete_article(item.ref, first, more, item.first.fetched_at, item.first.sha256)


def reprocess_batch(items: Sequence[ArchivedArticle], archive_root: str | Path) -> ReprocessedBatch:
    """Re-read a batch of archived articles; a page that cannot be read costs that page only."""
    archive = RawArchive(Path(archive_root))
    out = ReprocessedBatch()
    for item in items:
        result = reprocess_article(item, archive)
        if isinstance(result, Failure):
            out.failures.append(result)
        else:
            out.articles.append(result)
    return out
