"""The batch load: one transaction per batch of articles, page outcomes and failures.

Every write is built from Arrow tables (never row-by-row inserts) and idempotent: article ids are
hashes of the URL, and an article whose content hash is unchanged is not rewritten, so running the
same day twice changes no article, image or indicator row. A new version of a stored article that
shrank drastically is held back as a failure instead (`etl.integrity.suspicious_change`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from etl.integrity import ArticleStats, suspicious_change
from etl.load.connection import DEFAULT_LOCK_WAIT_SECONDS, connect, scalar, transaction, utc_now
from etl.load.failures import PENDING_STAGE, UPSERT_FAILURES
from etl.load.rows import (
    article_id_for,
    failure_row,
    last_by,
    layout_row,
    page_row,
    rows_of_articles,
    staging,
)
from etl.models import (
    Failure,
    FailureStage,
    FetchResult,
    LayoutPage,
    PageKind,
    ProcessedArticle,
    SourceVersions,
    Validators,
)
from etl.urls import ref_for_url, source_key


@dataclass(slots=True)
class LoadCounts:
    articles_loaded: int = 0
    articles_unchanged: int = 0  # seen again as stored, including the pages skipped unchanged
    # Pages not read again: body, parser version and extractor version as when their article loaded.
    pages_skipped_unchanged: int = 0
    images_loaded: int = 0
    indicators_loaded: int = 0
    pages_recorded: int = 0
    failures_recorded: int = 0
    loaded_urls: list[str] = field(default_factory=list)
    # New versions that were not loaded because they shrank drastically (recorded as failures).
    suspicious_changes: list[Failure] = field(default_factory=list)

    def add(self, other: LoadCounts) -> None:
        self.articles_loaded += other.articles_loaded
        self.articles_unchanged += other.articles_unchanged
        self.pages_skipped_unchanged += other.pages_skipped_unchanged
        self.images_loaded += other.images_loaded
        self.indicators_loaded += other.indicators_loaded
        self.pages_recorded += other.pages_recorded
        self.failures_recorded += other.failures_recorded
        self.loaded_urls.extend(other.loaded_urls)
        self.suspicious_changes.extend(other.suspicious_changes)


def load_batch(
    db_path: Path | str,
    run_id: str,
    *,
    articles: Sequence[ProcessedArticle] = (),
    fetches: Sequence[tuple[FetchResult, PageKind | None]] = (),
    failures: Sequence[Failure] = (),
    succeeded_urls: Sequence[str] = (),
    layouts: Sequence[LayoutPage] = (),
    ad_pages: Collection[str] = (),
    skipped_unchanged: Sequence[str] = (),
    extractor_version: str,
    parser_version: str | None = None,
    wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
    accept_changes: bool = False,
) -> LoadCounts:
    """Write one batch in one transaction: articles (with images and indicators), page outcomes, and
    failures. Articles whose content hash is already stored are left untouched. Open failures are
    resolved for the articles loaded and for `succeeded_urls` (other pages that fetched and parsed,
    such as 版面 pages). `layouts` are the 版面 pages read, recorded in `layout_pages` with whether
    discovery skipped them as 广告 pages (their URLs in `ad_pages`), which nothing else remembers.
    `skipped_unchanged` are article pages not read again because their body, parser version and
    extractor version are as when their article was loaded: they count as unchanged articles, and
    their rows are not touched.

    A new version of a stored article that shrank drastically (`integrity.suspicious_change`) is
    not loaded unless `accept_changes`: the stored rows stay and the URL gets a failure (stage load).
    """
    now = utc_now()
    items = last_by(articles, lambda it: article_id_for(it.article.url))
    article_rows, image_rows, indicator_rows = rows_of_articles(
        items, run_id, extractor_version, now, parser_version
    )
    page_rows = last_by((page_row(f, k, run_id, now) for f, k in fetches), lambda r: r["url"])
    loaded_urls = {r["url"] for r in article_rows}
    succeeded_urls = [*succeeded_urls, *skipped_unchanged]
    resolved_keys = {source_key(u) for u in [*loaded_urls, *succeeded_urls]}
    failure_rows = last_by(
        (failure_row(f, run_id, now) for f in failures if source_key(f.url) not in resolved_keys),
        lambda r: r["url"],
    )
    layout_rows = last_by(
        (layout_row(lp, lp.url in ad_pages, run_id, now) for lp in layouts), lambda r: r["source_key"]
    )
    counts = LoadCounts()
    with connect(db_path, wait_seconds=wait_seconds) as con, transaction(con):
        changed = _changed_articles(con, article_rows)
        held = [] if accept_changes else suspicious_changes(con, changed, indicator_rows)
        if held:
            # The stored version stays, and the URL stays open: a later run that finds the page
            # as stored resolves it, or --accept-changes takes the new version.
            held_urls = {f.url for f in held}
            changed = [r for r in changed if r["url"] not in held_urls]
            loaded_urls -= held_urls
            resolved_keys = {source_key(u) for u in [*loaded_urls, *succeeded_urls]}
            failure_rows = last_by(
                [*failure_rows, *(failure_row(f, run_id, now) for f in held)], lambda r: r["url"]
            )
            counts.suspicious_changes = held
        counts.articles_unchanged = len(article_rows) - len(changed) - len(held) + len(skipped_unchanged)
        counts.pages_skipped_unchanged = len(skipped_unchanged)
        _update_sources(con, article_rows, changed, held)
        if changed:
            changed_ids = {r["article_id"] for r in changed}
            con.register("stage_articles", staging(con, "articles", changed))
            con.register(
                "stage_images",
                staging(con, "images", [r for r in image_rows if r["article_id"] in changed_ids]),
            )
            con.register(
                "stage_indicators",
                staging(con, "indicators", [r for r in indicator_rows if r["article_id"] in changed_ids]),
            )
            # Replace by id, and by URL too: a row whose id was derived differently (an older key)
            # must not block the URL's unique constraint.
            con.execute(
                "CREATE OR REPLACE TEMP TABLE replaced AS SELECT article_id FROM stage_articles "
                "UNION SELECT a.article_id FROM articles a JOIN stage_articles s USING (url)"
            )
            for table in ("indicators", "images", "articles"):
                con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM replaced)")
            con.execute("INSERT INTO articles BY NAME SELECT * FROM stage_articles")
            con.execute("INSERT INTO images BY NAME SELECT * FROM stage_images")
            con.execute("INSERT INTO indicators BY NAME SELECT * FROM stage_indicators")
            counts.articles_loaded = len(changed)
            counts.images_loaded = scalar(con, "SELECT count(*) FROM stage_images")
            counts.indicators_loaded = scalar(con, "SELECT count(*) FROM stage_indicators")
        if page_rows:
            con.register("stage_pages", staging(con, "pages", page_rows))
            con.execute(_UPSERT_PAGES)
            counts.pages_recorded = len(page_rows)
        if layout_rows:
            con.register("stage_layouts", staging(con, "layout_pages", layout_rows))
            con.execute(_UPSERT_LAYOUTS)
        if failure_rows:
            con.register("stage_failures", staging(con, "failures", failure_rows))
            con.execute(UPSERT_FAILURES)
            counts.failures_recorded = len(failure_rows)
        if resolved_keys:
            con.register("stage_resolved", pa.table({"source_key": sorted(resolved_keys)}))
            con.register("stage_resolved_urls", pa.table({"url": sorted({*loaded_urls, *succeeded_urls})}))
            # A URL that was only pending never failed: its row was bookkeeping, not a failure.
            con.execute(
                "DELETE FROM failures WHERE stage = ? AND resolved_at IS NULL "
                "AND (source_key IN (SELECT source_key FROM stage_resolved) "
                "OR url IN (SELECT url FROM stage_resolved_urls))",
                [PENDING_STAGE],
            )
            con.execute(
                "UPDATE failures SET resolved_at = ? WHERE resolved_at IS NULL "
                "AND (source_key IN (SELECT source_key FROM stage_resolved) "
                "OR url IN (SELECT url FROM stage_resolved_urls))",
                [now],
            )
    counts.loaded_urls = sorted(loaded_urls)
    return counts


def suspicious_changes(
    con: duckdb.DuckDBPyConnection, changed: list[dict[str, Any]], indicator_rows: list[dict[str, Any]]
) -> list[Failure]:
    """Failures for the changed articles whose new version would replace a much larger stored one."""
    if not changed:
        return []
    con.register(
        "stage_candidates",
        pa.table({"article_id": [r["article_id"] for r in changed], "url": [r["url"] for r in changed]}),
    )
    # The stored row is found as the load would replace it: by id, or by URL.
    stored = {
        article_id: ArticleStats(body_chars=chars, paragraphs=paragraphs, indicators=indicators)
        for article_id, chars, paragraphs, indicators in con.execute(
            "SELECT c.article_id, length(a.body_text), a.paragraph_count, "
            "(SELECT count(*) FROM indicators i WHERE i.article_id = a.article_id) "
            "FROM stage_candidates c JOIN articles a ON a.article_id = c.article_id OR a.url = c.url "
            "ORDER BY a.article_id = c.article_id"  # the row with the same id wins
        ).fetchall()
    }
    new_indicators: dict[str, int] = {}
    for row in indicator_rows:
        new_indicators[row["article_id"]] = new_indicators.get(row["article_id"], 0) + 1
    held = []
    for row in changed:
        if (old := stored.get(row["article_id"])) is None:
            continue
        new = ArticleStats(
            body_chars=len(row["body_text"]),
            paragraphs=row["paragraph_count"],
            indicators=new_indicators.get(row["article_id"], 0),
        )
        if (reason := suspicious_change(old, new)) is not None:
            held.append(Failure(row["url"], FailureStage.LOAD, reason, kind=ref_for_url(row["url"]).kind))
    return held


def _update_sources(
    con: duckdb.DuckDBPyConnection,
    rows: list[dict[str, Any]],
    changed: list[dict[str, Any]],
    held: list[Failure],
) -> None:
    """Bring parser version and source digest up to date on articles read again as stored, so the next
    run can skip their page; the rows are otherwise left as they are (loaded_at, run_id stay)."""
    skip = {r["article_id"] for r in changed} | {article_id_for(f.url) for f in held}
    same = [r for r in rows if r["article_id"] not in skip]
    if not same:
        return
    con.register(
        "stage_sources",
        pa.table(
            {
                "article_id": [r["article_id"] for r in same],
                "parser_version": pa.array([r["parser_version"] for r in same], pa.string()),
                "source_digest": pa.array([r["source_digest"] for r in same], pa.string()),
            }
        ),
    )
    con.execute(
        "UPDATE articles a SET parser_version = s.parser_version, source_digest = s.source_digest "
        "FROM stage_sources s WHERE a.article_id = s.article_id AND ("
        "a.parser_version IS DISTINCT FROM s.parser_version "
        "OR a.source_digest IS DISTINCT FROM s.source_digest)"
    )


def _changed_articles(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not rows:
        return []
    hashes = pa.table({"id": [r["article_id"] for r in rows], "h": [r["content_hash"] for r in rows]})
    con.register("stage_hashes", hashes)
    same = {
        article_id
        for (article_id,) in con.execute(
            "SELECT s.id FROM stage_hashes s JOIN articles a ON a.article_id = s.id AND a.content_hash = s.h"
        ).fetchall()
    }
    return [r for r in rows if r["article_id"] not in same]


# A page that answered 304 or failed keeps the body we already have (sha256, fetched_at): only the
# outcome of the latest check changes.
_UPSERT_PAGES = """
INSERT INTO pages BY NAME SELECT * FROM stage_pages
ON CONFLICT (url) DO UPDATE SET
    kind = COALESCE(EXCLUDED.kind, pages.kind),
    final_url = COALESCE(EXCLUDED.final_url, pages.final_url),
    status = EXCLUDED.status,
    http_status = EXCLUDED.http_status,
    encoding = COALESCE(EXCLUDED.encoding, pages.encoding),
    decode_errors = COALESCE(EXCLUDED.decode_errors, pages.decode_errors),
    fetched_at = CASE
        WHEN EXCLUDED.sha256 IS NULL OR EXCLUDED.sha256 = pages.sha256 THEN pages.fetched_at
        ELSE EXCLUDED.fetched_at END,
    sha256 = COALESCE(EXCLUDED.sha256, pages.sha256),
    size = COALESCE(EXCLUDED.size, pages.size),
    etag = COALESCE(EXCLUDED.etag, pages.etag),
    last_modified = COALESCE(EXCLUDED.last_modified, pages.last_modified),
    checked_at = EXCLUDED.checked_at,
    attempts = EXCLUDED.attempts,
    error = EXCLUDED.error,
    run_id = EXCLUDED.run_id
"""


_UPSERT_LAYOUTS = """
INSERT INTO layout_pages BY NAME SELECT * FROM stage_layouts
ON CONFLICT (source_key) DO UPDATE SET
    url = EXCLUDED.url,
    issue_date = COALESCE(EXCLUDED.issue_date, layout_pages.issue_date),
    page_no = COALESCE(EXCLUDED.page_no, layout_pages.page_no),
    page_name = EXCLUDED.page_name,
    entries = EXCLUDED.entries,
    ad_page = EXCLUDED.ad_page,
    run_id = EXCLUDED.run_id,
    loaded_at = EXCLUDED.loaded_at
"""


def loaded_sources(
    db_path: Path | str, urls: Sequence[str], *, wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS
) -> dict[str, SourceVersions]:
    """What the stored article of each URL was read from (page body, parser and extractor versions),
    for the URLs that have one: the other side of the skip decision (`compose.unchanged_since_load`)."""
    if not urls:
        return {}
    ids = {article_id_for(u): u for u in urls}
    with connect(db_path, wait_seconds=wait_seconds) as con:
        con.register("wanted_ids", pa.table({"article_id": list(ids)}))
        rows = con.execute(
            "SELECT a.article_id, a.source_digest, a.parser_version, a.extractor_version "
            "FROM articles a JOIN wanted_ids w USING (article_id)"
        ).fetchall()
    return {
        ids[article_id]: SourceVersions(source=sha, parser_version=parser, extractor_version=extractor)
        for article_id, sha, parser, extractor in rows
    }


def validators_for(
    db_path: Path | str, urls: Sequence[str], *, wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS
) -> dict[str, Validators]:
    """What each URL's last good fetch left us, for conditional GETs and change detection."""
    if not urls:
        return {}
    with connect(db_path, wait_seconds=wait_seconds) as con:
        con.register("wanted", pa.table({"url": list(urls)}))
        rows = con.execute(
            "SELECT p.url, p.etag, p.last_modified, p.sha256 FROM pages p JOIN wanted w USING (url) "
            "WHERE p.sha256 IS NOT NULL"
        ).fetchall()
    return {url: Validators(etag=etag, last_modified=lm, sha256=sha) for url, etag, lm, sha in rows}
