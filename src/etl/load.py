"""Load: the only module that touches DuckDB.

Every write is one transaction per batch, built from Arrow tables (never row-by-row inserts), and
idempotent: article ids are hashes of the URL, and an article whose content hash is unchanged is
not rewritten, so running the same day twice changes no article, image or indicator row.

Connections are opened per operation and closed straight away: DuckDB lets only one process hold a
read-write handle, and analysts should be able to open the file between two batches of a run.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import pyarrow as pa

from etl.integrity import ArticleStats, suspicious_change
from etl.models import (
    HOST_NOT_ALLOWED,
    Failure,
    FetchResult,
    FetchStatus,
    Indicator,
    PageKind,
    ProcessedArticle,
    Validators,
)
from etl.outcome import InfrastructureError
from etl.urls import host_of, ref_for_url, source_key

log = logging.getLogger("etl.load")

WAREHOUSE_SQL_DIR = Path(
    os.environ.get("ETL_WAREHOUSE_SQL", Path(__file__).resolve().parents[2] / "warehouse")
)
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")

# How long a run waits for another process to release the warehouse before giving up.
DEFAULT_LOCK_WAIT_SECONDS = 60.0


class WarehouseBusy(RuntimeError):
    """Another process holds the DuckDB file (a second run, or an analyst's read-write session)."""


class WarehouseUnwritable(InfrastructureError):
    """The warehouse file cannot be opened or written: disk full, read-only file system, permissions."""


# What DuckDB says (as text: it raises IOException on open but TransactionException on a failed
# commit) when the storage under the warehouse fails, as opposed to a bug in a statement.
_STORAGE_TROUBLE = (
    "no space left on device",
    "read-only file system",
    "permission denied",
    "disk quota exceeded",
    "file too large",
    "could not write file",
    "cannot open file",
    "could not truncate file",
    "could not fsync",
    "database has been invalidated",
)


def _storage_trouble(path: Path, exc: BaseException) -> WarehouseUnwritable | None:
    text = " ".join(str(exc).split())
    if isinstance(exc, OSError) or any(marker in text.lower() for marker in _STORAGE_TROUBLE):
        return WarehouseUnwritable(f"warehouse {path} cannot be written: {text}")
    return None


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


# --------------------------------------------------------------------------- connections, migrations


def _is_lock_error(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


@contextmanager
def connect(
    db_path: Path | str, *, read_only: bool = False, wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse, waiting while another process holds its lock."""
    path = Path(db_path)
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarehouseUnwritable(f"warehouse {path} cannot be written: {exc}") from exc
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.Error as exc:  # IOException when another process holds the file
            if not _is_lock_error(exc):
                if (trouble := _storage_trouble(path, exc)) is not None:
                    raise trouble from exc
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"warehouse {path} is locked by another process (a run in progress?); "
                    f"waited {wait_seconds:.0f} s"
                ) from exc
            time.sleep(0.5)
    try:
        yield con
    except (duckdb.Error, OSError) as exc:
        if (trouble := _storage_trouble(path, exc)) is not None:
            raise trouble from exc
        raise
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


def migration_files(sql_dir: Path = WAREHOUSE_SQL_DIR) -> list[tuple[int, Path]]:
    found = []
    for path in sorted((sql_dir / "migrations").glob("*.sql")):
        m = _MIGRATION_NAME.match(path.name)
        if not m:
            raise ValueError(f"migration file name must look like 001_name.sql: {path.name}")
        found.append((int(m.group(1)), path))
    versions = [v for v, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migrations must be numbered 001, 002, … without gaps: {versions}")
    return found


def migrate(con: duckdb.DuckDBPyConnection, sql_dir: Path = WAREHOUSE_SQL_DIR) -> list[int]:
    """Apply pending numbered migrations, each in its own transaction, then refresh the views."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    newly = []
    for version, path in migration_files(sql_dir):
        if version in applied:
            continue
        with transaction(con):
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, path.name, _now()])
        newly.append(version)
        log.info("applied migration %s", path.name)
    views = sql_dir / "views.sql"
    if views.exists():
        with transaction(con):
            con.execute(views.read_text(encoding="utf-8"))
    return newly


def ensure_schema(db_path: Path | str) -> None:
    with connect(db_path) as con:
        migrate(con)


@contextmanager
def run_lock(db_path: Path | str, *, wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold `<db>.lock` for a whole run, so a second run on the same warehouse waits, then gives up
    with a clear message, instead of interleaving its batches with ours.

    The lock sits next to the file the path resolves to: a run reaching the warehouse through a
    symlink, a relative path or `..` takes the same lock as one naming it directly. It is opened
    read-only (flock needs no more), so holding it never keeps the disk from being remounted."""
    lock_path = Path(f"{Path(db_path).resolve()}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(os.open(lock_path, os.O_RDONLY | os.O_CREAT, 0o644), "rb") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"another run holds {lock_path}; waited {wait_seconds:.0f} s. "
                        "Wait for it to finish or pass a longer --lock-wait."
                    ) from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# --------------------------------------------------------------------------- ids and hashes


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    """TIMESTAMP columns hold UTC without a zone; aware datetimes are converted, naive ones kept."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def article_id_for(url: str) -> str:
    """Stable across hosts and ports: the same article from a mirror or the live site is one row."""
    return hashlib.sha256(source_key(url).encode("utf-8")).hexdigest()[:16]


def indicator_id_for(article_id: str, ind: Indicator) -> str:
    key = f"{article_id}|{ind.source}|{ind.image_position}|{ind.char_start}|{ind.char_end}|{ind.unit}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def content_hash(item: ProcessedArticle, extractor_version: str) -> str:
    """Hash of everything we store for an article; a re-run rewrites the article only when it changes.

    The extractor version is part of it, so a better extractor re-extracts old articles on the next run.
    """
    a = item.article
    payload = {
        "title": a.title,
        "pre_title": a.pre_title,
        "subtitle": a.subtitle,
        "published_at": a.published_at.isoformat() if a.published_at else None,
        "source": a.source,
        "authors": list(a.authors),
        "editors": list(a.editors),
        "page": a.page_no,
        "page_name": a.page_name,
        "template": a.template,
        "paragraphs": [[p.text, p.is_subhead] for p in a.paragraphs],
        # The same photo reached through a mirror has another host: only its path is content.
        "images": [[i.position, urlsplit(i.src).path, i.caption, i.credit] for i in a.images],
        "extractor_version": extractor_version,
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


# --------------------------------------------------------------------------- Arrow staging tables


def _staging(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows as an Arrow table typed like the warehouse table, so the SQL files stay the only schema."""
    schema = con.sql(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema
    return pa.Table.from_pylist(list(rows), schema=schema)


def _last_by(items: Iterable[Any], key: Any) -> list[Any]:
    """De-duplicate on a key, keeping the last occurrence: DuckDB would silently keep the first."""
    return list({key(item): item for item in items}.values())


def _article_rows(
    items: Sequence[ProcessedArticle], run_id: str, extractor_version: str, now: dt.datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    articles: list[dict[str, Any]] = []
    images: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    for item in items:
        a = item.article
        aid = article_id_for(a.url)
        articles.append(
            {
                "article_id": aid,
                "url": a.url,
                "title": a.title,
                "pre_title": a.pre_title,
                "subtitle": a.subtitle,
                "published_at": a.published_at,
                "published_date": a.published_at.date() if a.published_at else None,
                "source": a.source,
                "authors": list(a.authors),
                "editors": list(a.editors),
                "page": a.page_no,
                "page_name": a.page_name,
                "template": a.template,
                "content_id": a.content_id,
                "paragraph_count": len(a.paragraphs),
                "subheads": [p.text for p in a.paragraphs if p.is_subhead],
                "body_text": a.body_text,
                "content_hash": content_hash(item, extractor_version),
                "extractor_version": extractor_version,
                "fetched_at": _naive_utc(item.fetched_at),
                "loaded_at": now,
                "run_id": run_id,
            }
        )
        images.extend(
            {
                "article_id": aid,
                "position": i.position,
                "src": i.src,
                "caption": i.caption,
                "credit": i.credit,
            }
            for i in a.images
        )
        for ind in item.indicators:
            indicators.append(
                {
                    "indicator_id": indicator_id_for(aid, ind),
                    "article_id": aid,
                    "source": ind.source,
                    "image_position": ind.image_position,
                    "metric": ind.metric,
                    "value": ind.value,
                    "unit": ind.unit,
                    "qualifier": str(ind.qualifier),
                    "period": ind.period,
                    "period_start": ind.period_start,
                    "period_end": ind.period_end,
                    "region": ind.region,
                    "province": ind.province,
                    "measure": ind.measure,
                    "basis": ind.basis,
                    "raw": ind.raw,
                    "sentence": ind.sentence,
                    "char_start": ind.char_start,
                    "char_end": ind.char_end,
                    "extractor_version": extractor_version,
                }
            )
    return articles, images, _last_by(indicators, lambda r: r["indicator_id"])


def _page_row(fetch: FetchResult, kind: PageKind | None, run_id: str, now: dt.datetime) -> dict[str, Any]:
    has_body = fetch.status is FetchStatus.OK
    return {
        "url": fetch.url,
        "kind": str(kind) if kind else None,
        "final_url": fetch.final_url,
        "status": str(fetch.status),
        "http_status": fetch.http_status,
        "encoding": fetch.encoding,
        "decode_errors": fetch.decode_errors if fetch.text is not None else None,
        "sha256": fetch.sha256 if has_body else None,
        "size": fetch.size if has_body else None,
        "etag": fetch.etag,
        "last_modified": fetch.last_modified,
        "fetched_at": _naive_utc(fetch.fetched_at) if has_body else None,
        "checked_at": _naive_utc(fetch.fetched_at) or now,
        "attempts": fetch.attempts,
        "error": fetch.error,
        "run_id": run_id,
    }


# --------------------------------------------------------------------------- the batch load


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
    now = _now()
    items = _last_by(articles, lambda it: article_id_for(it.article.url))
    article_rows, image_rows, indicator_rows = _article_rows(items, run_id, extractor_version, now)
    page_rows = _last_by((_page_row(f, k, run_id, now) for f, k in fetches), lambda r: r["url"])
    loaded_urls = {r["url"] for r in article_rows}
    resolved_keys = {source_key(u) for u in [*loaded_urls, *succeeded_urls]}
    failure_rows = _last_by(
        (_failure_row(f, run_id, now) for f in failures if source_key(f.url) not in resolved_keys),
        lambda r: r["url"],
    )
    counts = LoadCounts()
    with connect(db_path, wait_seconds=wait_seconds) as con, transaction(con):
        changed = _changed_articles(con, article_rows)
        held = [] if accept_changes else _suspicious_changes(con, changed, indicator_rows)
        if held:
            # The stored version stays, and the URL stays open: a later run that finds the page
            # as stored resolves it, or --accept-changes takes the new version.
            held_urls = {f.url for f in held}
            changed = [r for r in changed if r["url"] not in held_urls]
            loaded_urls -= held_urls
            resolved_keys = {source_key(u) for u in [*loaded_urls, *succeeded_urls]}
            failure_rows = _last_by(
                [*failure_rows, *(_failure_row(f, run_id, now) for f in held)], lambda r: r["url"]
            )
            counts.suspicious_changes = held
        counts.articles_unchanged = len(article_rows) - len(changed) - len(held)
        if changed:
            changed_ids = {r["article_id"] for r in changed}
            con.register("stage_articles", _staging(con, "articles", changed))
            con.register(
                "stage_images",
                _staging(con, "images", [r for r in image_rows if r["article_id"] in changed_ids]),
            )
            con.register(
                "stage_indicators",
                _staging(con, "indicators", [r for r in indicator_rows if r["article_id"] in changed_ids]),
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
            counts.images_loaded = _scalar(con, "SELECT count(*) FROM stage_images")
            counts.indicators_loaded = _scalar(con, "SELECT count(*) FROM stage_indicators")
        if page_rows:
            con.register("stage_pages", _staging(con, "pages", page_rows))
            con.execute(_UPSERT_PAGES)
            counts.pages_recorded = len(page_rows)
        if failure_rows:
            con.register("stage_failures", _staging(con, "failures", failure_rows))
            con.execute(_UPSERT_FAILURES)
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


def _failure_row(f: Failure, run_id: str, now: dt.datetime) -> dict[str, Any]:
    return {
        "url": f.url,
        "kind": str(f.kind) if f.kind else None,
        "stage": f.stage,
        "reason": f.reason,
        "http_status": f.http_status,
        "attempts": f.attempts,
        "failure_count": 1,
        "first_failed_at": now,
        "last_failed_at": now,
        "resolved_at": None,
        "run_id": run_id,
        "source_key": source_key(f.url),
    }


def _suspicious_changes(
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
            held.append(Failure(row["url"], "load", reason, kind=ref_for_url(row["url"]).kind))
    return held


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> Any:
    # fetchall, not fetchone: DuckDB refuses further work on a connection with an unfinished result.
    return con.execute(sql, list(params)).fetchall()[0][0]


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

_UPSERT_FAILURES = """
INSERT INTO failures BY NAME SELECT * FROM stage_failures
ON CONFLICT (url) DO UPDATE SET
    kind = COALESCE(EXCLUDED.kind, failures.kind),
    stage = EXCLUDED.stage,
    reason = EXCLUDED.reason,
    http_status = EXCLUDED.http_status,
    attempts = EXCLUDED.attempts,
    failure_count = CASE WHEN failures.resolved_at IS NULL THEN failures.failure_count + 1 ELSE 1 END,
    first_failed_at = CASE WHEN failures.resolved_at IS NULL THEN failures.first_failed_at
                           ELSE EXCLUDED.first_failed_at END,
    last_failed_at = EXCLUDED.last_failed_at,
    resolved_at = NULL,
    run_id = EXCLUDED.run_id,
    source_key = EXCLUDED.source_key
"""


# --------------------------------------------------------------------------- runs and lookups

# The stage of a URL named to a run that the run has not dealt with yet. If the run is killed, the
# row stays open and the next run retries the URL; otherwise loading the URL removes it, or its
# real failure replaces it.
PENDING_STAGE = "pending"
PENDING_REASON = "named for ingest, not reached yet (the run stopped early)"

# Only over a resolved row (or none): an open failure already keeps the URL for the next runs and
# says why it failed. failure_count 0: no run has failed on the URL yet.
_UPSERT_PENDING = """
INSERT INTO failures BY NAME SELECT * FROM stage_pending
ON CONFLICT (url) DO UPDATE SET
    kind = EXCLUDED.kind,
    stage = EXCLUDED.stage,
    reason = EXCLUDED.reason,
    http_status = NULL,
    attempts = 0,
    failure_count = 0,
    first_failed_at = EXCLUDED.first_failed_at,
    last_failed_at = EXCLUDED.last_failed_at,
    resolved_at = NULL,
    run_id = EXCLUDED.run_id,
    source_key = EXCLUDED.source_key
WHERE failures.resolved_at IS NOT NULL
"""


def record_pending(db_path: Path | str, run_id: str, urls: Sequence[str]) -> None:
    """Remember every URL a run was asked for, in one transaction before it fetches any, so that a
    run killed half-way leaves the URLs it did not reach in `etl failures` for the next run."""
    if not urls:
        return
    now = _now()
    rows = _last_by(
        (
            {
                **_failure_row(
                    Failure(u, PENDING_STAGE, PENDING_REASON, kind=ref_for_url(u).kind), run_id, now
                ),
                "failure_count": 0,
            }
            for u in urls
        ),
        lambda r: r["url"],
    )
    with connect(db_path) as con, transaction(con):
        con.register("stage_pending", _staging(con, "failures", rows))
        con.execute(_UPSERT_PENDING)


def start_run(db_path: Path | str, run_id: str, flow: str, params: dict[str, Any]) -> None:
    with connect(db_path) as con:
        migrate(con)
        with transaction(con):
            # A run that never finished was killed; say so rather than leave it "running" forever.
            con.execute(
                "UPDATE runs SET status = 'aborted' WHERE status = 'running' AND run_id <> ?", [run_id]
            )
            con.execute(
                "INSERT INTO runs (run_id, flow, params, started_at, status) VALUES (?, ?, ?, ?, 'running') "
                "ON CONFLICT (run_id) DO NOTHING",
                [run_id, flow, json.dumps(params, ensure_ascii=False, default=str), _now()],
            )


def finish_run(
    db_path: Path | str, run_id: str, status: str, counts: dict[str, int], message: str | None = None
) -> None:
    allowed = {
        "pages_fetched",
        "pages_not_modified",
        "articles_loaded",
        "articles_unchanged",
        "images_loaded",
        "indicators_loaded",
        "failures",
    }
    unknown = set(counts) - allowed
    if unknown:
        raise ValueError(f"unknown run counters: {sorted(unknown)}")
    assignments = [f"{name} = ?" for name in counts]  # names checked above, values bound
    sets = ", ".join(["status = ?", "finished_at = ?", "message = ?", *assignments])
    with connect(db_path) as con:
        con.execute(
            f"UPDATE runs SET {sets} WHERE run_id = ?", [status, _now(), message, *counts.values(), run_id]
        )


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


# A page that answered 404/410 may still appear (an issue published late), so the next runs try it
# again, but only this many times in all; then it waits in `etl failures` for a person.
MAX_RUNS_WHEN_GONE = 3
# Any other failure is retried by the runs that follow, up to this many times in all.
MAX_RUNS_PER_FAILURE = 10
GONE_STATUSES = (404, 410)


@dataclass(frozen=True, slots=True)
class OpenFailure:
    url: str
    kind: str | None
    stage: str
    reason: str
    http_status: int | None
    attempts: int | None
    failure_count: int
    last_failed_at: dt.datetime

    @property
    def retryable(self) -> bool:
        # A page on a host nobody named can never load by itself, and retrying it would widen the
        # run's allowed hosts to it. (A redirect to such a host is different: the page's own host
        # was allowed, and the redirect may go away.)
        if self.reason == f"{HOST_NOT_ALLOWED}: {host_of(self.url)}":
            return False
        limit = MAX_RUNS_WHEN_GONE if self.http_status in GONE_STATUSES else MAX_RUNS_PER_FAILURE
        return self.failure_count < limit


def open_failures(
    db_path: Path | str,
    *,
    kinds: Sequence[str] | None = None,
    retryable_only: bool = False,
    limit: int | None = None,
) -> list[OpenFailure]:
    """Failures not resolved yet, oldest first (by when they last failed). With `retryable_only`,
    those a run should try again by itself: gone pages (404/410) a few times only, everything else
    up to a limit. With `limit`, at most that many of them."""
    path = Path(db_path)
    if not path.exists():
        return []
    with connect(path, read_only=True) as con:
        if not _scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'failures'"):
            return []
        rows = con.execute(
            "SELECT url, kind, stage, reason, http_status, attempts, failure_count, last_failed_at "
            "FROM failures WHERE resolved_at IS NULL ORDER BY last_failed_at, url"
        ).fetchall()
    found = [OpenFailure(*row) for row in rows]
    if kinds is not None:
        found = [f for f in found if f.kind in kinds]
    if retryable_only:
        found = [f for f in found if f.retryable]
    return found if limit is None else found[: max(limit, 0)]


def last_run_started(
    db_path: Path | str, flow: str, statuses: Sequence[str] = ("ok", "partial")
) -> dt.datetime | None:
    """When the latest run of `flow` that finished with one of `statuses` started (UTC, aware)."""
    path = Path(db_path)
    if not path.exists():
        return None
    with connect(path, read_only=True) as con:
        if not _scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'runs'"):
            return None
        marks = ", ".join("?" for _ in statuses)
        started = _scalar(
            con, f"SELECT max(started_at) FROM runs WHERE flow = ? AND status IN ({marks})", [flow, *statuses]
        )
    return started.replace(tzinfo=dt.UTC) if started is not None else None


def template_use(db_path: Path | str) -> list[tuple[str, str, int, dt.datetime, str]]:
    """(host, template, articles, last loaded, latest URL) from v_template_use, generic first."""
    path = Path(db_path)
    if not path.exists():
        return []
    with connect(path, read_only=True) as con:
        if not _scalar(
            con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'v_template_use'"
        ):
            return []
        rows = con.execute(
            "SELECT host, template, articles, last_loaded, latest_url FROM v_template_use "
            "ORDER BY template <> 'generic', host, template"
        ).fetchall()
    return [(h, t, n, last, url) for h, t, n, last, url in rows]
