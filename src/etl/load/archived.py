"""Reprocessing: which archived pages to read again, and how their articles replace the stored rows.

`archived_pages` is the query behind `etl reprocess`: every article page whose raw body the archive
keeps (`pages.sha256`), chosen by the article's published date, with the continuation pages and the
版面 pages a re-read needs. `replace_articles` writes what the re-read produced, one transaction per
batch, and rewrites an article only when one of its rows would differ: its article row (load time,
run and fetch time aside), its images or its indicators. So a reprocess after nothing changed
writes nothing, and one after an extractor upgrade rewrites exactly the articles whose rows moved,
stamped with the current extractor version.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from etl.load.batch import StoredArticles, replace_stored, stored_articles, suspicious_changes
from etl.load.connection import DEFAULT_LOCK_WAIT_SECONDS, connect, transaction, utc_now
from etl.load.failures import PENDING_STAGE, UPSERT_FAILURES
from etl.load.rows import (
    ARTICLE_COLUMNS,
    IMAGE_COLUMNS,
    INDICATOR_COLUMNS,
    ArticleBatch,
    ArticleLoad,
    failure_row,
    last_by,
    loads_of_articles,
    staging,
    staging_of,
)
from etl.models import ArchivedPage, Failure, PageKind, ProcessedArticle
from etl.urls import canonical_article_url, continuation_page, date_from_url, path_of, source_key

# The counters a reprocess run records besides load.RUN_COUNTERS, each a column of `runs`.
REPROCESS_COUNTERS = (
    "articles_reprocessed",
    "articles_indicators_changed",
    "indicators_added",
    "indicators_removed",
)

# Article columns that say when and by which run a row was written, not what it holds: a reprocess
# that would only change these leaves the row alone.
_WRITE_STAMPS = frozenset({"loaded_at", "run_id", "fetched_at"})


@dataclass(frozen=True, slots=True)
class ArchivedSelection:
    """What a reprocess reads: one first page per article (by published date, then URL), the
    continuation pages of those articles, and the 版面 pages of the days they fall on."""

    articles: list[ArchivedPage] = field(default_factory=list)
    continuations: list[ArchivedPage] = field(default_factory=list)
    layouts: list[ArchivedPage] = field(default_factory=list)


def _is_continuation(url: str) -> bool:
    page = continuation_page(url)
    return page is not None and page[1] > 1


def archived_pages(
    db_path: Path | str, since: dt.date | None = None, until: dt.date | None = None
) -> ArchivedSelection:
    """The archived pages to reprocess for articles published from `since` to `until` (inclusive;
    either may be open).

    An article's date is its stored `published_date`, else the date its URL carries (a page that
    failed to parse has no stored row but is re-read too: the current parser may read it). The same
    article archived from two hosts (a mirror) is read once: from the URL its stored row has, else
    from the copy fetched last. A page with no date at all is only read when no range is given.
    """
    path = Path(db_path)
    if not path.exists():
        return ArchivedSelection()
    with connect(path, read_only=True) as con:
        rows = con.execute(
            "SELECT p.url, p.kind, p.sha256, p.final_url, p.encoding, p.fetched_at, "
            "a.published_date, a.url IS NOT NULL "
            "FROM pages p LEFT JOIN articles a ON a.url = p.url "
            "WHERE p.sha256 IS NOT NULL AND p.kind IN (?, ?, ?) ORDER BY p.url",
            [str(PageKind.EPAPER_ARTICLE), str(PageKind.PORTAL_ARTICLE), str(PageKind.EPAPER_LAYOUT)],
        ).fetchall()

    def in_range(day: dt.date | None) -> bool:
        if day is None:
            return since is None and until is None
        return (since is None or day >= since) and (until is None or day <= until)

    firsts: dict[str, list[tuple[ArchivedPage, dt.date | None, bool]]] = {}
    continuations: list[ArchivedPage] = []
    layouts: list[tuple[dt.date | None, ArchivedPage]] = []
    for url, kind, sha256, final_url, encoding, fetched_at, published, stored in rows:
        page = ArchivedPage(url, PageKind(kind), sha256, final_url, encoding, fetched_at)
        if page.kind is PageKind.EPAPER_LAYOUT:
            layouts.append((date_from_url(path_of(url)), page))
        elif _is_continuation(url):
            continuations.append(page)
        else:
            firsts.setdefault(source_key(url), []).append((page, published, bool(stored)))

    chosen: list[tuple[dt.date | None, ArchivedPage]] = []
    for copies in firsts.values():
        # The copy the stored row came from, else the latest download.
        page, _, _ = max(copies, key=lambda c: (c[2], c[0].fetched_at or dt.datetime.min, c[0].url))
        day = next((d for _, d, _ in copies if d is not None), None) or date_from_url(path_of(page.url))
        if in_range(day):
            chosen.append((day, page))
    chosen.sort(key=lambda c: (c[0] or dt.date.min, c[1].url))
    wanted = {page.url for _, page in chosen}
    # The 版面 pages of the issue an e-paper article's URL names (its stored date is that day too).
    days = {date_from_url(path_of(page.url)) for _, page in chosen if page.kind is PageKind.EPAPER_ARTICLE}
    return ArchivedSelection(
        articles=[page for _, page in chosen],
        continuations=[c for c in continuations if canonical_article_url(c.url) in wanted],
        layouts=[page for day, page in layouts if day in days],
    )


# --------------------------------------------------------------------------- replacing rows


@dataclass(frozen=True, slots=True)
class RewrittenArticle:
    """An article a reprocess rewrote, with its indicator rows before and after (column -> value)."""

    url: str
    before: list[dict[str, Any]]
    after: list[dict[str, Any]]


@dataclass(slots=True)
class ReplaceCounts:
    articles_loaded: int = 0  # rewritten: some row differed, or the article was not stored yet
    articles_unchanged: int = 0  # every row the same: nothing written
    images_loaded: int = 0
    indicators_loaded: int = 0
    failures_recorded: int = 0
    # New versions that were not loaded because they shrank drastically (recorded as failures).
    suspicious_changes: list[Failure] = field(default_factory=list)
    rewritten: list[RewrittenArticle] = field(default_factory=list)


def _columns(names: Sequence[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


_ARTICLE_COMPARED = _columns([c.name for c in ARTICLE_COLUMNS if c.name not in _WRITE_STAMPS])
_IMAGE_COMPARED = _columns([c.name for c in IMAGE_COLUMNS])
_INDICATOR_COMPARED = _columns([c.name for c in INDICATOR_COLUMNS])

# Articles of the batch one of whose rows differs from what is stored: the article row itself (a
# row stored under another id for the URL counts as different), or any image or indicator row, in
# either direction (EXCEPT ALL: a duplicated row is a difference too).
_DIFFERING_ARTICLES = f"""
WITH stored_articles AS (SELECT * FROM articles WHERE article_id IN (SELECT article_id FROM stage_articles)),
stored_images AS (SELECT * FROM images WHERE article_id IN (SELECT article_id FROM stage_articles)),
stored_indicators AS (
    SELECT * FROM indicators WHERE article_id IN (SELECT article_id FROM stage_articles)
)
SELECT article_id FROM (
    SELECT {_ARTICLE_COMPARED} FROM stage_articles
    EXCEPT SELECT {_ARTICLE_COMPARED} FROM stored_articles)
UNION SELECT article_id FROM (
    SELECT {_IMAGE_COMPARED} FROM stage_images EXCEPT ALL SELECT {_IMAGE_COMPARED} FROM stored_images)
UNION SELECT article_id FROM (
    SELECT {_IMAGE_COMPARED} FROM stored_images EXCEPT ALL SELECT {_IMAGE_COMPARED} FROM stage_images)
UNION SELECT article_id FROM (
    SELECT {_INDICATOR_COMPARED} FROM stage_indicators
    EXCEPT ALL SELECT {_INDICATOR_COMPARED} FROM stored_indicators)
UNION SELECT article_id FROM (
    SELECT {_INDICATOR_COMPARED} FROM stored_indicators
    EXCEPT ALL SELECT {_INDICATOR_COMPARED} FROM stage_indicators)
"""


def replace_articles(
    db_path: Path | str,
    run_id: str,
    *,
    articles: Sequence[ProcessedArticle] = (),
    failures: Sequence[Failure] = (),
    extractor_version: str,
    parser_version: str | None = None,
    accept_changes: bool = False,
    wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
) -> ReplaceCounts:
    """Write one batch of re-read articles in one transaction: each article whose rows differ from
    the stored ones has its article, images and indicators replaced (stamped with
    `extractor_version` and `parser_version`); the others are left untouched. Failures are
    recorded, and open failures of the articles read are resolved. A version that shrank
    drastically is held back as a failure, as in a crawl, unless `accept_changes`. The `pages`
    table is not touched: nothing was fetched.
    """
    now = utc_now()
    batch = loads_of_articles(articles, run_id, extractor_version, now, parser_version)
    counts = ReplaceCounts()
    with connect(db_path, wait_seconds=wait_seconds) as con, transaction(con):
        changed: list[ArticleLoad] = []
        held: list[Failure] = []
        if batch.articles:
            con.register("stage_articles", staging_of(con, "articles", batch.articles))
            con.register("stage_images", staging_of(con, "images", batch.images))
            con.register("stage_indicators", staging_of(con, "indicators", batch.indicators))
            differing = {aid for (aid,) in con.execute(_DIFFERING_ARTICLES).fetchall()}
            changed = [a for a in batch.articles if a.article_id in differing]
            stored = stored_articles(con, changed)
            held = [] if accept_changes else suspicious_changes(con, stored, changed, batch.indicators)
            held_urls = {f.url for f in held}
            changed = [a for a in changed if a.article.url not in held_urls]
            counts.suspicious_changes = held
            counts.articles_unchanged = len(batch.articles) - len(changed) - len(held)
            if changed:
                written = batch.only({a.article_id for a in changed})
                counts.rewritten = _rewrite(con, written, stored)
                counts.articles_loaded = len(written.articles)
                counts.images_loaded = len(written.images)
                counts.indicators_loaded = len(written.indicators)
        failure_rows = last_by((failure_row(f, run_id, now) for f in [*failures, *held]), lambda r: r["url"])
        if failure_rows:
            con.register("stage_failures", staging(con, "failures", failure_rows))
            con.execute(UPSERT_FAILURES)
            counts.failures_recorded = len(failure_rows)
        held_urls = {f.url for f in held}
        read_urls = sorted({a.article.url for a in batch.articles} - held_urls)
        if read_urls:
            _resolve_failures(con, read_urls, now)
    return counts


def _rewrite(
    con: duckdb.DuckDBPyConnection, written: ArticleBatch, stored: StoredArticles
) -> list[RewrittenArticle]:
    """Replace the changed articles' rows; their indicator rows before and after, per article."""
    # Replaced by id, and by URL too (`StoredArticles.ids_to_delete`): a row stored under another
    # id for the URL counts as the article's rows before.
    replaced = [(old_id, a.article_id) for a in written.articles for old_id in stored.ids_to_delete(a)]
    con.register(
        "stage_replaced_ids",
        pa.table(
            {
                "old_id": pa.array([old for old, _ in replaced], pa.string()),
                "new_id": pa.array([new for _, new in replaced], pa.string()),
            }
        ),
    )
    before = (
        _dicts(
            con, "SELECT r.new_id, i.* FROM indicators i JOIN stage_replaced_ids r ON i.article_id = r.old_id"
        )
        if replaced
        else []
    )
    replace_stored(con, written, [old for old, _ in replaced])
    after = _dicts(con, "SELECT * FROM stage_written_indicators")
    rows_before: dict[str, list[dict[str, Any]]] = {}
    for row in before:
        rows_before.setdefault(row.pop("new_id"), []).append(row)
    rows_after: dict[str, list[dict[str, Any]]] = {}
    for row in after:
        rows_after.setdefault(row["article_id"], []).append(row)
    return [
        RewrittenArticle(a.article.url, rows_before.get(a.article_id, []), rows_after.get(a.article_id, []))
        for a in written.articles
    ]


def _dicts(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _resolve_failures(con: duckdb.DuckDBPyConnection, urls: Sequence[str], now: dt.datetime) -> None:
    """The articles read are no longer failures, from whichever host they failed (as in a crawl)."""
    con.register("stage_resolved", pa.table({"source_key": sorted({source_key(u) for u in urls})}))
    con.register("stage_resolved_urls", pa.table({"url": list(urls)}))
    matches = (
        "(source_key IN (SELECT source_key FROM stage_resolved) "
        "OR url IN (SELECT url FROM stage_resolved_urls))"
    )
    con.execute(
        f"DELETE FROM failures WHERE stage = ? AND resolved_at IS NULL AND {matches}", [PENDING_STAGE]
    )
    con.execute(f"UPDATE failures SET resolved_at = ? WHERE resolved_at IS NULL AND {matches}", [now])


def record_reprocess_counts(
    db_path: Path | str, run_id: str, counts: Mapping[str, int], metric_changes: Mapping[str, Any]
) -> None:
    """What a reprocess run changed, on its `runs` row: the REPROCESS_COUNTERS and, as JSON, the
    indicator rows added and removed per metric (`indicator_changes`)."""
    unknown = set(counts) - set(REPROCESS_COUNTERS)
    if unknown:
        raise ValueError(f"unknown reprocess counters: {sorted(unknown)}")
    assignments = ", ".join([*(f"{name} = ?" for name in counts), "indicator_changes = ?"])
    changes = json.dumps(metric_changes, ensure_ascii=False)
    with connect(db_path) as con:
        con.execute(f"UPDATE runs SET {assignments} WHERE run_id = ?", [*counts.values(), changes, run_id])
