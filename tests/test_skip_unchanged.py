"""Re-runs skip what did not change: the pure decision, and what the load stores and counts for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from etl import compose, extract, load, parse
from etl.models import (
    Article,
    FetchResult,
    FetchStatus,
    PageKind,
    PageRef,
    Paragraph,
    ProcessedArticle,
    SourceVersions,
)

SHA = "a" * 64
REF = PageRef(
    "http://x/rmrb/pc/content/202509/03/content_30170120.html",
    PageKind.EPAPER_ARTICLE,
    issue_date=dt.date(2025, 9, 3),
    page_no=2,
    page_name="经济",
    title_hint="标题",
    editors=("王浩",),
)
SOURCE = compose.source_digest(REF, SHA)
NOW = SourceVersions(SOURCE, parse.PARSER_VERSION, extract.EXTRACTOR_VERSION)


@pytest.mark.parametrize(
    ("stored", "current", "skip"),
    [
        (NOW, NOW, True),
        (None, NOW, False),  # never loaded
        (replace(NOW, source=compose.source_digest(REF, "b" * 64)), NOW, False),  # the body changed
        (replace(NOW, parser_version="0.0.1"), NOW, False),  # read by an older parser
        (replace(NOW, extractor_version="0.0.1"), NOW, False),  # extracted by an older extractor
        (replace(NOW, source=None), NOW, False),  # merged from continuation pages
        (replace(NOW, parser_version=None), NOW, False),  # loaded before parser versions were kept
        (NOW, replace(NOW, source=None), False),  # nothing delivered this time
        (replace(NOW, source=None), replace(NOW, source=None), False),  # unknown is never "the same"
    ],
)
def test_a_page_is_skipped_only_when_body_parser_and_extractor_are_as_stored(
    stored: SourceVersions | None, current: SourceVersions, skip: bool
) -> None:
    assert compose.unchanged_since_load(stored, current) is skip


def test_the_current_versions_of_a_fetch() -> None:
    ok = FetchResult(REF.url, FetchStatus.OK, text="<html></html>", sha256=SHA)
    assert compose.current_versions(REF, ok) == NOW
    not_modified = replace(ok, status=FetchStatus.NOT_MODIFIED)
    assert compose.current_versions(REF, not_modified) == NOW
    # A 304 whose archived copy could not be read has no body to be the same as the stored one.
    assert compose.current_versions(REF, replace(not_modified, text=None)).source is None
    assert compose.current_versions(REF, replace(ok, status=FetchStatus.FAILED)).source is None


@pytest.mark.parametrize(
    "changed",
    [
        {"page_no": 3},
        {"page_name": "要闻"},
        {"editors": ("王浩", "李平")},
        {"title_hint": "新标题"},
        {"issue_date": dt.date(2025, 9, 4)},
    ],
)
def test_what_the_layout_page_said_is_part_of_the_source(changed: dict[str, object]) -> None:
    # The 版面 fills fields the article page does not print: a new 本版责编 must reach the article
    # even though the article's own page is byte for byte the same.
    assert compose.source_digest(replace(REF, **changed), SHA) != SOURCE  # type: ignore[arg-type]
    assert compose.source_digest(replace(REF, url="http://mirror/x.html"), SHA) == SOURCE


def _item(url: str, source: str | None = SOURCE, body: str = "正文。") -> ProcessedArticle:
    article = Article(url=url, title="标题", template="epaper_new", paragraphs=(Paragraph(body),))
    return ProcessedArticle(article=article, fetched_at=dt.datetime(2025, 9, 3, 1), source_digest=source)


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_load_keeps_what_each_article_was_read_from(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load.ensure_schema(db)
    single, merged = "http://x/rmrb/1.html", "http://x/rmrb/2.html"
    load.load_batch(
        db,
        "r1",
        articles=[_item(single), _item(merged, source=None)],
        extractor_version="e1",
        parser_version="p1",
    )
    assert load.loaded_sources(db, [single, merged, "http://x/rmrb/3.html"]) == {
        single: SourceVersions(SOURCE, "p1", "e1"),
        merged: SourceVersions(None, "p1", "e1"),
    }


def test_a_new_parser_reading_the_same_record_updates_the_versions_and_rewrites_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "w.duckdb"
    load.ensure_schema(db)
    url = "http://x/rmrb/1.html"
    load.load_batch(db, "r1", articles=[_item(url)], extractor_version="e1", parser_version="p1")
    before = _rows(db, "SELECT loaded_at, run_id, content_hash FROM articles")
    counts = load.load_batch(
        db, "r2", articles=[_item(url, source="c" * 64)], extractor_version="e1", parser_version="p2"
    )
    assert (counts.articles_loaded, counts.articles_unchanged, counts.pages_skipped_unchanged) == (0, 1, 0)
    assert _rows(db, "SELECT loaded_at, run_id, content_hash FROM articles") == before
    assert load.loaded_sources(db, [url]) == {url: SourceVersions("c" * 64, "p2", "e1")}


def test_skipped_pages_count_as_unchanged_and_resolve_their_open_failures(tmp_path: Path) -> None:
    from etl.models import Failure, FailureStage

    db = tmp_path / "w.duckdb"
    load.ensure_schema(db)
    url = "http://x/rmrb/1.html"
    load.load_batch(db, "r1", articles=[_item(url)], extractor_version="e1", parser_version="p1")
    load.load_batch(db, "r2", failures=[Failure(url, FailureStage.LOAD, "held back")], extractor_version="e1")
    before = _rows(db, "SELECT * FROM articles")
    counts = load.load_batch(db, "r3", skipped_unchanged=[url], extractor_version="e1", parser_version="p1")
    assert (counts.articles_loaded, counts.articles_unchanged, counts.pages_skipped_unchanged) == (0, 1, 1)
    assert _rows(db, "SELECT * FROM articles") == before
    assert _rows(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL") == [(0,)]


def test_an_article_merged_from_continuation_pages_keeps_no_source_digest() -> None:
    first = Article(
        url="http://x/n1/2025/0903/c1004-40556677.html",
        title="标题",
        template="portal_2020",
        paragraphs=(Paragraph("2024年，上海港集装箱吞吐量5150.6万标箱。"),),
    )
    ref = PageRef(first.url, PageKind.PORTAL_ARTICLE)
    alone = compose.complete_article(ref, first, page_sha256=SHA)
    assert isinstance(alone, ProcessedArticle) and alone.source_digest == compose.source_digest(ref, SHA)
    page2 = FetchResult(
        "http://x/n1/2025/0903/c1004-40556677-2.html",
        FetchStatus.OK,
        text="<html><body><div class='rm_txt_con'><p>第二页。</p></div></body></html>",
        sha256="b" * 64,
    )
    merged = compose.complete_article(ref, first, [page2], page_sha256=SHA)
    # Whatever the second page reads as, the article is never stored with the first page's hash alone.
    assert not isinstance(merged, ProcessedArticle) or merged.source_digest is None
