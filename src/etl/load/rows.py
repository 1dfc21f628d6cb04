"""How each table's rows are built: one column map per table, (column, how to get its value).

A map lists every column of its table; `tests/test_load_rows.py` checks that against a freshly
migrated warehouse, because Arrow would store a column the map forgets as NULL without a word. The
article map also marks the columns that are content: they, with the paragraphs and images, make
the content hash that decides whether a re-run rewrites an article.

Ids are hashes (of the URL's source key for articles, of article and span for indicators), so
re-running a day produces the same ids and a load replaces rows instead of adding duplicates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa

from etl.models import (
    Article,
    Failure,
    FetchResult,
    FetchStatus,
    Image,
    Indicator,
    LayoutPage,
    PageKind,
    ProcessedArticle,
)
from etl.urls import live_url, source_key

Source = TypeVar("Source")


@dataclass(frozen=True, slots=True)
class Column(Generic[Source]):
    name: str
    value: Callable[[Source], object]
    # Part of an article's content hash: a change to it rewrites the article (articles only).
    content: bool = False


def row(columns: Sequence[Column[Source]], source: Source) -> dict[str, Any]:
    return {c.name: c.value(source) for c in columns}


def arrow_table(columns: Sequence[Column[Source]], sources: Sequence[Source], schema: pa.Schema) -> pa.Table:
    """The sources as an Arrow table typed like the warehouse table whose `schema` is given, built
    column by column from the map: one Python list per column, no dict per row. A column the table
    does not have yet (a warehouse a later migration has not reached) is left out, as an insert by
    name would."""
    columns = [c for c in columns if c.name in schema.names]
    fields = [schema.field(c.name) for c in columns]
    arrays = [
        pa.array(list(map(c.value, sources)), type=f.type) for c, f in zip(columns, fields, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


# --------------------------------------------------------------------------- ids


def article_id_for(url: str) -> str:
    """Stable across hosts and ports: the same article from a mirror or the live site is one row."""
    return _article_id_of_key(source_key(url))


def _article_id_of_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def indicator_id_for(article_id: str, ind: Indicator) -> str:
    key = f"{article_id}|{ind.source}|{ind.image_position}|{ind.char_start}|{ind.char_end}|{ind.unit}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


# The paper's own time: an article's published_at is Beijing wall time as printed on the page.
BEIJING = ZoneInfo("Asia/Shanghai")


def aware_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A TIMESTAMPTZ value of ours: aware datetimes converted to UTC, naive ones taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def beijing_time(value: dt.datetime | None) -> dt.datetime | None:
    """An article's publication time as an aware datetime: naive values are Beijing wall time."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=BEIJING)


# --------------------------------------------------------------------------- articles


@dataclass(frozen=True, slots=True)
class ArticleLoad:
    """An article as one load writes it: the record and what the load adds (run, version, time).
    Its id and content hash are computed once: every column, lookup and child row uses them."""

    item: ProcessedArticle
    extractor_version: str
    run_id: str = ""
    loaded_at: dt.datetime | None = None
    parser_version: str | None = None
    key: str = field(init=False)  # the URL's source key (etl.urls.source_key)
    article_id: str = field(init=False)
    content_hash: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", source_key(self.item.article.url))
        object.__setattr__(self, "article_id", _article_id_of_key(self.key))
        object.__setattr__(self, "content_hash", _content_hash(self))

    @property
    def article(self) -> Article:
        return self.item.article


ARTICLE_COLUMNS: tuple[Column[ArticleLoad], ...] = (
    Column("article_id", lambda s: s.article_id),
    Column("url", lambda s: s.article.url),
    # The live site's URL, whatever host served the page (a mirror, a saved copy).
    Column("canonical_url", lambda s: live_url(s.article.url)),
    Column("title", lambda s: s.article.title, content=True),
    Column("pre_title", lambda s: s.article.pre_title, content=True),
    Column("subtitle", lambda s: s.article.subtitle, content=True),
    Column("published_at", lambda s: beijing_time(s.article.published_at), content=True),
    Column("published_date", lambda s: s.article.published_at.date() if s.article.published_at else None),
    Column("source", lambda s: s.article.source, content=True),
    Column("authors", lambda s: list(s.article.authors), content=True),
    Column("editors", lambda s: list(s.article.editors), content=True),
    Column("page", lambda s: s.article.page_no, content=True),
    Column("page_name", lambda s: s.article.page_name, content=True),
    Column("template", lambda s: s.article.template, content=True),
    Column("content_id", lambda s: s.article.content_id),
    Column("paragraph_count", lambda s: len(s.article.paragraphs)),
    Column("subheads", lambda s: [p.text for p in s.article.paragraphs if p.is_subhead]),
    Column("body_text", lambda s: s.article.body_text),
    Column("content_hash", lambda s: s.content_hash),
    # The extractor version is content: a better extractor re-extracts old articles on the next run.
    Column("extractor_version", lambda s: s.extractor_version, content=True),
    Column("fetched_at", lambda s: aware_utc(s.item.fetched_at)),
    Column("loaded_at", lambda s: aware_utc(s.loaded_at)),
    Column("run_id", lambda s: s.run_id),
    # What the article was read from and by which parser, for skipping unchanged pages on re-runs.
    # Not content: a new parser that reads the same record leaves the row as it is (these two
    # columns are brought up to date in place).
    Column("parser_version", lambda s: s.parser_version),
    Column("source_digest", lambda s: s.item.source_digest),
)


def _json_value(value: object) -> object:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # Hashed as the Beijing wall time it was before the column carried its zone, so that
        # articles loaded before are not all rewritten once.
        value = value.astimezone(BEIJING).replace(tzinfo=None)
    return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value


def _content_hash(source: ArticleLoad) -> str:
    a = source.article
    payload = {c.name: _json_value(c.value(source)) for c in ARTICLE_COLUMNS if c.content}
    # The body and the photos are content too, stored in body_text/subheads and in `images`:
    # hashed from the record, paragraph by paragraph.
    payload["paragraphs"] = [[p.text, p.is_subhead] for p in a.paragraphs]
    # The same photo reached through a mirror has another host: only its path is content.
    payload["images"] = [[i.position, urlsplit(i.src).path, i.caption, i.credit] for i in a.images]
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def content_hash(item: ProcessedArticle, extractor_version: str) -> str:
    """Hash of everything we store for an article; a re-run rewrites the article only when it changes.

    The extractor version is part of it, so a better extractor re-extracts old articles on the next run.
    """
    return _content_hash(ArticleLoad(item, extractor_version))


# --------------------------------------------------------------------------- images and indicators


@dataclass(frozen=True, slots=True)
class ImageLoad:
    article_id: str
    image: Image


IMAGE_COLUMNS: tuple[Column[ImageLoad], ...] = (
    Column("article_id", lambda s: s.article_id),
    Column("position", lambda s: s.image.position),
    Column("src", lambda s: s.image.src),
    Column("caption", lambda s: s.image.caption),
    Column("credit", lambda s: s.image.credit),
)


@dataclass(frozen=True, slots=True)
class IndicatorLoad:
    article_id: str
    indicator: Indicator
    extractor_version: str
    indicator_id: str = field(init=False)  # the batch is de-duplicated on it before the load

    def __post_init__(self) -> None:
        object.__setattr__(self, "indicator_id", indicator_id_for(self.article_id, self.indicator))


INDICATOR_COLUMNS: tuple[Column[IndicatorLoad], ...] = (
    Column("indicator_id", lambda s: s.indicator_id),
    Column("article_id", lambda s: s.article_id),
    Column("source", lambda s: s.indicator.source),
    Column("image_position", lambda s: s.indicator.image_position),
    Column("metric", lambda s: s.indicator.metric),
    Column("value", lambda s: s.indicator.value),
    Column("unit", lambda s: s.indicator.unit),
    Column("qualifier", lambda s: str(s.indicator.qualifier)),
    Column("period", lambda s: s.indicator.period),
    Column("period_start", lambda s: s.indicator.period_start),
    Column("period_end", lambda s: s.indicator.period_end),
    Column("region", lambda s: s.indicator.region),
    Column("province", lambda s: s.indicator.province),
    Column("measure", lambda s: s.indicator.measure),
    Column("basis", lambda s: s.indicator.basis),
    Column("raw", lambda s: s.indicator.raw),
    Column("sentence", lambda s: s.indicator.sentence),
    Column("char_start", lambda s: s.indicator.char_start),
    Column("char_end", lambda s: s.indicator.char_end),
    Column("extractor_version", lambda s: s.extractor_version),
)


@dataclass(frozen=True, slots=True)
class ArticleBatch:
    """What a batch of articles writes to `articles`, `images` and `indicators`: the records the
    column maps turn into Arrow columns (`arrow_table`). Indicators are de-duplicated on their id,
    the last one kept."""

    articles: list[ArticleLoad]
    images: list[ImageLoad]
    indicators: list[IndicatorLoad]

    def only(self, article_ids: Collection[str]) -> ArticleBatch:
        """The part of the batch that belongs to these articles."""
        return ArticleBatch(
            [a for a in self.articles if a.article_id in article_ids],
            [i for i in self.images if i.article_id in article_ids],
            [i for i in self.indicators if i.article_id in article_ids],
        )


def loads_of_articles(
    items: Sequence[ProcessedArticle],
    run_id: str,
    extractor_version: str,
    now: dt.datetime,
    parser_version: str | None = None,
) -> ArticleBatch:
    """A batch of articles as the records of their `articles`, `images` and `indicators` rows; an
    article given twice (by URLs with the same id) is written as the last one."""
    articles = last_by(
        (ArticleLoad(item, extractor_version, run_id, now, parser_version) for item in items),
        lambda a: a.article_id,
    )
    images = [ImageLoad(a.article_id, i) for a in articles for i in a.item.article.images]
    indicators = [
        IndicatorLoad(a.article_id, ind, extractor_version) for a in articles for ind in a.item.indicators
    ]
    return ArticleBatch(articles, images, last_by(indicators, lambda s: s.indicator_id))


def rows_of_articles(
    items: Sequence[ProcessedArticle],
    run_id: str,
    extractor_version: str,
    now: dt.datetime,
    parser_version: str | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of `articles`, `images` and `indicators` for a batch of articles, as dicts (for readers
    of single rows; the load builds Arrow columns from `loads_of_articles`)."""
    batch = loads_of_articles(items, run_id, extractor_version, now, parser_version)
    return (
        [row(ARTICLE_COLUMNS, a) for a in batch.articles],
        [row(IMAGE_COLUMNS, i) for i in batch.images],
        [row(INDICATOR_COLUMNS, i) for i in batch.indicators],
    )


# --------------------------------------------------------------------------- pages and failures


@dataclass(frozen=True, slots=True)
class PageLoad:
    fetch: FetchResult
    kind: PageKind | None
    run_id: str
    now: dt.datetime

    @property
    def has_body(self) -> bool:
        return self.fetch.status is FetchStatus.OK


PAGE_COLUMNS: tuple[Column[PageLoad], ...] = (
    Column("url", lambda s: s.fetch.url),
    Column("kind", lambda s: str(s.kind) if s.kind else None),
    Column("final_url", lambda s: s.fetch.final_url),
    Column("status", lambda s: str(s.fetch.status)),
    Column("http_status", lambda s: s.fetch.http_status),
    Column("encoding", lambda s: s.fetch.encoding),
    Column("decode_errors", lambda s: s.fetch.decode_errors if s.fetch.text is not None else None),
    Column("sha256", lambda s: s.fetch.sha256 if s.has_body else None),
    Column("size", lambda s: s.fetch.size if s.has_body else None),
    Column("etag", lambda s: s.fetch.etag),
    Column("last_modified", lambda s: s.fetch.last_modified),
    Column("fetched_at", lambda s: aware_utc(s.fetch.fetched_at) if s.has_body else None),
    Column("checked_at", lambda s: aware_utc(s.fetch.fetched_at) or aware_utc(s.now)),
    Column("attempts", lambda s: s.fetch.attempts),
    Column("error", lambda s: s.fetch.error),
    Column("run_id", lambda s: s.run_id),
)


def page_row(fetch: FetchResult, kind: PageKind | None, run_id: str, now: dt.datetime) -> dict[str, Any]:
    return row(PAGE_COLUMNS, PageLoad(fetch, kind, run_id, now))


@dataclass(frozen=True, slots=True)
class FailureLoad:
    failure: Failure
    run_id: str
    now: dt.datetime
    # Runs that failed on the URL so far: a pending URL has not failed yet (0).
    failure_count: int = 1


FAILURE_COLUMNS: tuple[Column[FailureLoad], ...] = (
    Column("url", lambda s: s.failure.url),
    Column("kind", lambda s: str(s.failure.kind) if s.failure.kind else None),
    Column("stage", lambda s: str(s.failure.stage)),
    Column("reason", lambda s: s.failure.reason),
    Column("http_status", lambda s: s.failure.http_status),
    Column("attempts", lambda s: s.failure.attempts),
    Column("failure_count", lambda s: s.failure_count),
    Column("first_failed_at", lambda s: aware_utc(s.now)),
    Column("last_failed_at", lambda s: aware_utc(s.now)),
    Column("resolved_at", lambda s: None),
    Column("run_id", lambda s: s.run_id),
    Column("source_key", lambda s: source_key(s.failure.url)),
    Column("retry", lambda s: str(s.failure.retry)),
)


def failure_row(f: Failure, run_id: str, now: dt.datetime, *, failure_count: int = 1) -> dict[str, Any]:
    return row(FAILURE_COLUMNS, FailureLoad(f, run_id, now, failure_count))


@dataclass(frozen=True, slots=True)
class LayoutLoad:
    """A 版面 as a load records it: the parsed page and whether discovery skipped it as a 广告 page."""

    layout: LayoutPage
    ad_page: bool
    run_id: str
    now: dt.datetime


LAYOUT_COLUMNS: tuple[Column[LayoutLoad], ...] = (
    Column("source_key", lambda s: source_key(s.layout.url)),
    Column("url", lambda s: s.layout.url),
    Column("issue_date", lambda s: s.layout.issue_date),
    Column("page_no", lambda s: s.layout.page_no),
    Column("page_name", lambda s: s.layout.page_name),
    Column("entries", lambda s: len(s.layout.entries)),
    Column("ad_page", lambda s: s.ad_page),
    Column("run_id", lambda s: s.run_id),
    Column("loaded_at", lambda s: s.now),
)


def layout_row(layout: LayoutPage, ad_page: bool, run_id: str, now: dt.datetime) -> dict[str, Any]:
    return row(LAYOUT_COLUMNS, LayoutLoad(layout, ad_page, run_id, now))


# Every table a load writes from rows, with the map its rows are built from (`runs` is written by
# statements in etl.load.runs, its counters named in RUN_COUNTERS).
TABLE_COLUMNS: dict[str, tuple[Column[Any], ...]] = {
    "articles": ARTICLE_COLUMNS,
    "images": IMAGE_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "pages": PAGE_COLUMNS,
    "failures": FAILURE_COLUMNS,
    "layout_pages": LAYOUT_COLUMNS,
}


# --------------------------------------------------------------------------- Arrow staging tables


def table_schema(con: duckdb.DuckDBPyConnection, table: str) -> pa.Schema:
    """The warehouse table's columns as Arrow types, so the SQL files stay the only schema."""
    return con.sql(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema


def staging(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows as an Arrow table typed like the warehouse table."""
    return pa.Table.from_pylist(list(rows), schema=table_schema(con, table))


def staging_of(con: duckdb.DuckDBPyConnection, table: str, sources: Sequence[Any]) -> pa.Table:
    """Records (the sources of `TABLE_COLUMNS[table]`) as an Arrow table typed like the table."""
    return arrow_table(TABLE_COLUMNS[table], sources, table_schema(con, table))


def last_by(items: Iterable[Any], key: Any) -> list[Any]:
    """De-duplicate on a key, keeping the last occurrence: DuckDB would silently keep the first."""
    return list({key(item): item for item in items}.values())
