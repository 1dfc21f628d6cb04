"""The batch load: one transaction per batch of articles, page outcomes and failures.

Every write is built from Arrow tables (never row-by-row inserts) and idempotent: article ids are
hashes of the URL, and an article whose content hash is unchanged is not rewritten, so running the
same day twice changes no article, image or indicator row. A new version of a stored article that
shrank drastically is held back as a failure instead (`etl.integrity.suspicious_change`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.integrity import ArticleStats, suspicious_change
from etl.load.connection import DEFAULT_LOCK_WAIT_SECONDS, connect, scalar, transaction, utc_now
from etl.load.failures import PENDING_STAGE, UPSERT_FAILURES
from etl.load.rows import (
    ArticleLoad,
    IndicatorLoad,
    PageLoad,
    article_id_for,
    failure_row,
    last_by,
    loads_of_articles,
    staging,
    staging_of,
)
from etl.models import Failure, FailureStage, FetchResult, PageKind, ProcessedArticle, Validators
from etl.urls import ref_for_url, source_key


@dataclass(slots=True)
class LoadCounts:
    articles_loaded: int = 0
    articles_unchanged: int = 0
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
    extractor_version: str,
    wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
    accept_changes: bool = False,
) -> LoadCounts:
    """Write one batch in one transaction: articles (with images and indicators), page outcomes, and
    failures. Articles whose content hash is already stored are left untouched. Open failures are
    resolved for the articles loaded and for `succeeded_urls` (other pages that fetched and parsed,
    such as 版面 pages).

    A new version of a stored article that shrank drastically (`integrity.suspicious_change`) is
    not loaded unless `accept_changes`: the stored rows stay and the URL gets a failure (stage load).
    """
    now = utc_now()
    items = last_by(articles, lambda it: article_id_for(it.article.url))
    batch = loads_of_articles(items, run_id, extractor_version, now)
    pages = last_by((PageLoad(f, k, run_id, now) for f, k in fetches), lambda p: p.fetch.url)
    loaded_urls = {a.article.url for a in batch.articles}
    resolved_keys = {source_key(u) for u in [*loaded_urls, *succeeded_urls]}
    failure_rows = last_by(
        (failure_row(f, run_id, now) for f in failures if source_key(f.url) not in resolved_keys),
        lambda r: r["url"],
    )
    counts = LoadCounts()
    with connect(db_path, wait_seconds=wait_seconds) as con, transaction(con):
        changed = _changed_articles(con, batch.articles)
        held = [] if accept_changes else _suspicious_changes(con, changed, batch.indicators)
        if held:
            # The stored version stays, and the URL stays open: a later run that finds the page
            # as stored resolves it, or --accept-changes takes the new version.
            held_urls = {f.url for f in held}
            changed = [a for a in changed if a.article.url not in held_urls]
            loaded_urls -= held_urls
            resolved_keys = {source_key(u) for u in [*loaded_urls, *succeeded_urls]}
            failure_rows = last_by(
                [*failure_rows, *(failure_row(f, run_id, now) for f in held)], lambda r: r["url"]
            )
            counts.suspicious_changes = held
        counts.articles_unchanged = len(batch.articles) - len(changed) - len(held)
        if changed:
            changed_ids = {a.article_id for a in changed}
            con.register("stage_articles", staging_of(con, "articles", changed))
            con.register(
                "stage_images",
                staging_of(con, "images", [i for i in batch.images if i.article_id in changed_ids]),
            )
            con.register(
                "stage_indicators",
                staging_of(con, "indicators", [i for i in batch.indicators if i.article_id in changed_ids]),
            )
            # Replace by id, and by URL too: a row whose id was derived differently (an older key)
            # must not block the URL's unique constraint.
            replaced = sorted(changed_ids | _ids_of_urls(con, [a.article.url for a in changed]))
            _delete_articles(con, replaced)
            con.execute("INSERT INTO articles BY NAME SELECT * FROM stage_articles")
            con.execute("INSERT INTO images BY NAME SELECT * FROM stage_images")
            con.execute("INSERT INTO indicators BY NAME SELECT * FROM stage_indicators")
            counts.articles_loaded = len(changed)
            counts.images_loaded = scalar(con, "SELECT count(*) FROM stage_images")
            counts.indicators_loaded = scalar(con, "SELECT count(*) FROM stage_indicators")
        if pages:
            con.register("stage_pages", staging_of(con, "pages", pages))
            con.execute(_UPSERT_PAGES)
            counts.pages_recorded = len(pages)
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


def _keys(con: duckdb.DuckDBPyConnection, name: str, **columns: Sequence[str]) -> str:
    """Register a small Arrow table of the batch's keys under `name`, for semi-joins.

    Measured at 64k stored articles: a delete or lookup joined with a staged key table costs a few
    milliseconds, a constant IN list several times that, and an extra ART index on article_id made
    deletes ten times slower (its nodes are read back from the file on every connection)."""
    con.register(name, pa.table({k: list(v) for k, v in columns.items()}))
    return name


def _ids_of_urls(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> set[str]:
    keys = _keys(con, "stage_replaced_urls", url=urls)
    found = con.execute(f"SELECT a.article_id FROM articles a SEMI JOIN {keys} k ON a.url = k.url")
    return {article_id for (article_id,) in found.fetchall()}


def _delete_articles(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """Delete the articles and their images and indicators through one staged table of their ids."""
    keys = _keys(con, "stage_replaced", article_id=article_ids)
    for table in ("indicators", "images", "articles"):
        con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM {keys})")


def _suspicious_changes(
    con: duckdb.DuckDBPyConnection, changed: list[ArticleLoad], indicators: list[IndicatorLoad]
) -> list[Failure]:
    """Failures for the changed articles whose new version would replace a much larger stored one."""
    if not changed:
        return []
    keys = _keys(
        con,
        "stage_candidates",
        article_id=[a.article_id for a in changed],
        url=[a.article.url for a in changed],
    )
    # The stored row is found as the load would replace it: by id, or by URL (the same id wins).
    stored_rows = con.execute(
        "SELECT article_id, url, length(body_text), paragraph_count FROM articles "
        f"WHERE article_id IN (SELECT article_id FROM {keys}) OR url IN (SELECT url FROM {keys})"
    ).fetchall()
    stored_ids = _keys(con, "stage_stored", article_id=[r[0] for r in stored_rows])
    stored_indicators: dict[str, int] = dict(
        con.execute(
            f"SELECT article_id, count(*) FROM indicators WHERE article_id IN "
            f"(SELECT article_id FROM {stored_ids}) GROUP BY article_id"
        ).fetchall()
    )
    by_id = {r[0]: r for r in stored_rows}
    by_url = {r[1]: r for r in stored_rows}
    new_indicators: dict[str, int] = {}
    for ind in indicators:
        new_indicators[ind.article_id] = new_indicators.get(ind.article_id, 0) + 1
    held = []
    for article in changed:
        url = article.article.url
        if (old_row := by_id.get(article.article_id) or by_url.get(url)) is None:
            continue
        old_id, _url, chars, paragraphs = old_row
        old = ArticleStats(
            body_chars=chars, paragraphs=paragraphs, indicators=stored_indicators.get(old_id, 0)
        )
        new = ArticleStats(
            body_chars=len(article.article.body_text),
            paragraphs=len(article.article.paragraphs),
            indicators=new_indicators.get(article.article_id, 0),
        )
        if (reason := suspicious_change(old, new)) is not None:
            held.append(Failure(url, FailureStage.LOAD, reason, kind=ref_for_url(url).kind))
    return held


def _changed_articles(con: duckdb.DuckDBPyConnection, articles: list[ArticleLoad]) -> list[ArticleLoad]:
    if not articles:
        return []
    keys = _keys(con, "stage_hashes", article_id=[a.article_id for a in articles])
    stored = dict(
        con.execute(
            f"SELECT a.article_id, a.content_hash FROM articles a SEMI JOIN {keys} k "
            "ON a.article_id = k.article_id"
        ).fetchall()
    )
    return [a for a in articles if stored.get(a.article_id) != a.content_hash]


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


def validators_for(db_path: Path | str, urls: Sequence[str]) -> dict[str, Validators]:
    """What each URL's last good fetch left us, for conditional GETs and change detection."""
    if not urls:
        return {}
    with connect(db_path) as con:
        con.register("wanted", pa.table({"url": list(urls)}))
        rows = con.execute(
            "SELECT p.url, p.etag, p.last_modified, p.sha256 FROM pages p JOIN wanted w USING (url) "
            "WHERE p.sha256 IS NOT NULL"
        ).fetchall()
    return {url: Validators(etag=etag, last_modified=lm, sha256=sha) for url, etag, lm, sha in rows}
