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

import duckdb
import pyarrow as pa

from etl.integrity import ArticleStats, suspicious_change
from etl.load.connection import DEFAULT_LOCK_WAIT_SECONDS, connect, transaction, utc_now
from etl.load.failures import PENDING_STAGE, UPSERT_FAILURES
from etl.load.rows import (
    ArticleBatch,
    ArticleLoad,
    IndicatorLoad,
    LayoutLoad,
    PageLoad,
    article_id_for,
    failure_row,
    last_by,
    loads_of_articles,
    staging,
    staging_of,
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
    batch = loads_of_articles(articles, run_id, extractor_version, now, parser_version)
    pages = last_by((PageLoad(f, k, run_id, now) for f, k in fetches), lambda p: p.fetch.url)
    loaded_urls = {a.article.url for a in batch.articles}
    succeeded_urls = [*succeeded_urls, *skipped_unchanged]
    succeeded_keys = {source_key(u) for u in succeeded_urls}
    resolved_keys = {a.key for a in batch.articles} | succeeded_keys
    failure_rows = last_by(
        (failure_row(f, run_id, now) for f in failures if source_key(f.url) not in resolved_keys),
        lambda r: r["url"],
    )
    layouts_loaded = last_by(
        (LayoutLoad(lp, lp.url in ad_pages, run_id, now) for lp in layouts),
        lambda s: source_key(s.layout.url),
    )
    counts = LoadCounts()
    with connect(db_path, wait_seconds=wait_seconds) as con, transaction(con):
        stored = stored_articles(con, batch.articles)
        changed = [a for a in batch.articles if not stored.unchanged(a)]
        held = [] if accept_changes else suspicious_changes(con, stored, changed, batch.indicators)
        if held:
            # The stored version stays, and the URL stays open: a later run that finds the page
            # as stored resolves it, or --accept-changes takes the new version.
            held_urls = {f.url for f in held}
            changed = [a for a in changed if a.article.url not in held_urls]
            loaded_urls -= held_urls
            resolved_keys = {a.key for a in batch.articles if a.article.url in loaded_urls} | succeeded_keys
            failure_rows = last_by(
                [*failure_rows, *(failure_row(f, run_id, now) for f in held)], lambda r: r["url"]
            )
            counts.suspicious_changes = held
        counts.articles_unchanged = len(batch.articles) - len(changed) - len(held) + len(skipped_unchanged)
        counts.pages_skipped_unchanged = len(skipped_unchanged)
        _update_sources(con, stored, batch.articles, changed, held)
        if changed:
            written = batch.only({a.article_id for a in changed})
            replace_stored(con, written, [i for a in written.articles for i in stored.ids_to_delete(a)])
            counts.articles_loaded = len(written.articles)
            counts.images_loaded = len(written.images)
            counts.indicators_loaded = len(written.indicators)
        if pages:
            con.register("stage_pages", staging_of(con, "pages", pages))
            con.execute(_UPSERT_PAGES)
            counts.pages_recorded = len(pages)
        if layouts_loaded:
            con.register("stage_layouts", staging_of(con, "layout_pages", layouts_loaded))
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


# --------------------------------------------------------------------------- stored rows, by key


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """What the load needs of a stored article row that a batch's article would replace."""

    article_id: str
    url: str
    content_hash: str
    body_chars: int
    paragraphs: int


@dataclass(frozen=True, slots=True)
class StoredArticles:
    """The stored rows a batch's articles would replace: the row with the same id, and the row with
    the same URL, which can be another one (an id derived by an older key; the same article read
    from a mirror keeps its id but not its URL)."""

    by_id: dict[str, StoredArticle]
    by_url: dict[str, StoredArticle]

    def unchanged(self, article: ArticleLoad) -> bool:
        stored = self.by_id.get(article.article_id)
        return stored is not None and stored.content_hash == article.content_hash

    def replaced(self, article: ArticleLoad) -> StoredArticle | None:
        """The stored version the article replaces: the row with its id, else the row with its URL."""
        return self.by_id.get(article.article_id) or self.by_url.get(article.article.url)

    def ids_to_delete(self, article: ArticleLoad) -> list[str]:
        """The ids of the stored rows the article replaces: the row with its id, and another row
        holding its URL, which must go too or the URL's unique constraint blocks the insert. No ids
        for a new article: images and indicators are only ever written with their article row, in
        one transaction, so a new article has none to delete and no table is searched for them."""
        found = (self.by_id.get(article.article_id), self.by_url.get(article.article.url))
        return list(dict.fromkeys(row.article_id for row in found if row is not None))


def _keys(con: duckdb.DuckDBPyConnection, name: str, **columns: Sequence[str]) -> str:
    """Register a small Arrow table of the batch's keys under `name`, for semi-joins.

    Measured at 64k stored articles: a lookup or delete semi-joined with a staged key table costs
    what a constant IN list or `= ANY(?)` costs (the column's read from the file), one point query
    per key several times that, `INSERT … ON CONFLICT DO NOTHING` four times a plain insert, and an
    ART index on the article_id of images and indicators made deletes about ten times slower (its
    nodes are read back from the file on every connection)."""
    con.register(name, pa.table({k: pa.array(list(v), pa.string()) for k, v in columns.items()}))
    return name


def stored_articles(con: duckdb.DuckDBPyConnection, articles: Sequence[ArticleLoad]) -> StoredArticles:
    """The stored rows with the id or the URL of one of the articles."""
    if not articles:
        return StoredArticles({}, {})
    keys = _keys(
        con,
        "stage_keys",
        article_id=[a.article_id for a in articles],
        url=[a.article.url for a in articles],
    )
    # Two semi-joins, each reading one key column: an OR of the two reads both columns and every
    # column selected (body_text among them) for the whole table.
    matched = con.execute(
        f"SELECT a.article_id FROM articles a SEMI JOIN {keys} k ON a.article_id = k.article_id "
        f"UNION SELECT a.article_id FROM articles a SEMI JOIN {keys} k ON a.url = k.url"
    ).fetchall()
    if not matched:
        return StoredArticles({}, {})
    found_ids = _keys(con, "stage_found", article_id=[article_id for (article_id,) in matched])
    found = con.execute(
        "SELECT a.article_id, a.url, a.content_hash, length(a.body_text), a.paragraph_count "
        f"FROM articles a SEMI JOIN {found_ids} f ON a.article_id = f.article_id"
    ).fetchall()
    rows = [StoredArticle(*r) for r in found]
    return StoredArticles({r.article_id: r for r in rows}, {r.url: r for r in rows})


def replace_stored(con: duckdb.DuckDBPyConnection, written: ArticleBatch, doomed_ids: Sequence[str]) -> None:
    """Delete the rows of the articles `doomed_ids` (with their images and indicators) and insert the
    batch's rows; these stay registered as `stage_written_<table>` for the rest of the transaction.

    Images and indicators have no index on article_id (an ART index on it made these deletes about
    ten times slower), so a delete reads their article_id column: only done when a stored article
    is replaced, never for a batch of new articles."""
    if doomed_ids:
        doomed = _keys(con, "stage_replaced", article_id=doomed_ids)
        for table in ("indicators", "images", "articles"):
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM {doomed})")
    for table, sources in (
        ("articles", written.articles),
        ("images", written.images),
        ("indicators", written.indicators),
    ):
        con.register(f"stage_written_{table}", staging_of(con, table, sources))
        if sources:
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM stage_written_{table}")


def suspicious_changes(
    con: duckdb.DuckDBPyConnection,
    stored: StoredArticles,
    changed: Sequence[ArticleLoad],
    indicators: Sequence[IndicatorLoad],
) -> list[Failure]:
    """Failures for the changed articles whose new version would replace a much larger stored one."""
    replacing = [(a, row) for a in changed if (row := stored.replaced(a)) is not None]
    if not replacing:
        return []
    old_ids = _keys(con, "stage_stored", article_id=sorted({row.article_id for _, row in replacing}))
    stored_indicators: dict[str, int] = dict(
        con.execute(
            "SELECT i.article_id, count(*) FROM indicators i "
            f"SEMI JOIN {old_ids} s ON i.article_id = s.article_id GROUP BY i.article_id"
        ).fetchall()
    )
    new_indicators: dict[str, int] = {}
    for ind in indicators:
        new_indicators[ind.article_id] = new_indicators.get(ind.article_id, 0) + 1
    held = []
    for a, row in replacing:
        old = ArticleStats(
            body_chars=row.body_chars,
            paragraphs=row.paragraphs,
            indicators=stored_indicators.get(row.article_id, 0),
        )
        new = ArticleStats(
            body_chars=len(a.article.body_text),
            paragraphs=len(a.article.paragraphs),
            indicators=new_indicators.get(a.article_id, 0),
        )
        if (reason := suspicious_change(old, new)) is not None:
            url = a.article.url
            held.append(Failure(url, FailureStage.LOAD, reason, kind=ref_for_url(url).kind))
    return held


def _update_sources(
    con: duckdb.DuckDBPyConnection,
    stored: StoredArticles,
    articles: Sequence[ArticleLoad],
    changed: Sequence[ArticleLoad],
    held: Sequence[Failure],
) -> None:
    """Bring parser version and source digest up to date on articles read again as stored, so the next
    run can skip their page; the rows are otherwise left as they are (loaded_at, run_id stay)."""
    skip = {a.article_id for a in changed} | {article_id_for(f.url) for f in held}
    same = [a for a in articles if a.article_id not in skip and a.article_id in stored.by_id]
    if not same:
        return
    con.register(
        "stage_sources",
        pa.table(
            {
                "article_id": pa.array([a.article_id for a in same], pa.string()),
                "parser_version": pa.array([a.parser_version for a in same], pa.string()),
                "source_digest": pa.array([a.item.source_digest for a in same], pa.string()),
            }
        ),
    )
    con.execute(
        "UPDATE articles a SET parser_version = s.parser_version, source_digest = s.source_digest "
        "FROM stage_sources s WHERE a.article_id = s.article_id AND ("
        "a.parser_version IS DISTINCT FROM s.parser_version "
        "OR a.source_digest IS DISTINCT FROM s.source_digest)"
    )


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
