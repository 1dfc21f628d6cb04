"""The batch load and the reprocess replace write exactly the rows a plain reference load writes.

The reference below is the load at its simplest: one dict per row from the column maps
(`rows.row`), every stored row found by a WHERE clause on its own, one article at a time. Both
warehouses get the same sequence of batches (new articles, a changed one, an unchanged one, the
same article twice in a batch, a URL stored under an id derived by an older key, a mirror's copy of
a stored article, a version that shrank drastically, page outcomes, 版面 and failures), and every
column of every table is compared, except the times the load takes from its own clock. Ids and
content hashes are also checked against values computed here from their definitions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import pyarrow as pa
import pytest

from etl import load
from etl.integrity import ArticleStats, suspicious_change
from etl.load import rows
from etl.load.batch import _UPSERT_LAYOUTS, _UPSERT_PAGES
from etl.load.failures import UPSERT_FAILURES
from etl.models import (
    Article,
    Failure,
    FailureStage,
    FetchResult,
    FetchStatus,
    Image,
    Indicator,
    LayoutEntry,
    LayoutPage,
    PageKind,
    Paragraph,
    ProcessedArticle,
    Qualifier,
)
from etl.urls import ref_for_url, source_key

VERSION = "same-rows-1"
PARSER = "parser-1"
BEIJING = dt.timezone(dt.timedelta(hours=8))

# Columns written from the load's clock: equal within one warehouse, not between two.
CLOCK_COLUMNS = {
    "articles": {"loaded_at"},
    "layout_pages": {"loaded_at"},
    "failures": {"first_failed_at", "last_failed_at", "resolved_at"},
}
TABLES = ("articles", "images", "indicators", "pages", "layout_pages", "failures")


def _url(n: int, host: str = "paper.people.com.cn") -> str:
    return f"http://{host}/rmrb/pc/content/202509/03/content_3017{n:04d}.html"


def _item(
    n: int, *, body: str = "", indicators: int = 3, host: str = "paper.people.com.cn", title: str = ""
) -> ProcessedArticle:
    text = body or f"第{n}篇：2024年，上海港集装箱吞吐量5150.6万标箱，同比增长4.8%。" * 6
    paragraphs = (Paragraph("小标题", is_subhead=True), Paragraph(text), Paragraph(f"段落{n}"))
    article = Article(
        url=_url(n, host),
        title=title or f"标题{n}",
        template="epaper_new",
        published_at=dt.datetime(2025, 9, 3, 6, n % 60),
        source="人民日报",
        authors=("张三", f"作者{n}"),
        editors=("李四",),
        page_no=n % 4 + 1,
        page_name="要闻",
        pre_title="引题" if n % 2 else None,
        content_id=f"3017{n:04d}",
        paragraphs=paragraphs,
        images=tuple(
            Image(p, f"http://{host}/img/{n}_{p}.jpg", f"图{p}。", "人民日报记者摄") for p in range(n % 3)
        ),
    )
    found = [
        Indicator(
            value=51506000.0 + k,
            unit="标箱",
            qualifier=Qualifier.EXACT if k % 2 else Qualifier.APPROX,
            metric="集装箱吞吐量",
            raw="5150.6万标箱",
            sentence=text[:40],
            char_start=4 + 40 * k,
            char_end=14 + 40 * k,
            period="2024",
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 12, 31),
            region="上海" if k % 2 else None,
        )
        for k in range(indicators)
    ]
    # The same span twice: the batch keeps one row for it.
    found += found[:1]
    return ProcessedArticle(
        article=article,
        indicators=found,
        fetched_at=dt.datetime(2025, 9, 3, 1, n % 60, tzinfo=dt.UTC),
        source_digest=f"{n:064x}",
    )


def _fetch(url: str, sha: str, status: FetchStatus = FetchStatus.OK) -> tuple[FetchResult, PageKind]:
    result = FetchResult(
        url=url,
        status=status,
        http_status=200 if status is FetchStatus.OK else 304,
        sha256=sha if status is FetchStatus.OK else None,
        size=10,
        encoding="utf-8",
        etag=f'"{sha[:6]}"',
        fetched_at=dt.datetime(2025, 9, 3, 2, tzinfo=dt.UTC),
    )
    return result, PageKind.EPAPER_ARTICLE


def _layout(page_no: int, entries: int) -> LayoutPage:
    url = f"http://paper.people.com.cn/rmrb/pc/layout/202509/03/node_{page_no:02d}.html"
    return LayoutPage(
        url=url,
        issue_date=dt.date(2025, 9, 3),
        page_no=page_no,
        page_name="要闻" if page_no == 1 else "广告",
        entries=tuple(LayoutEntry(_url(k), f"标题{k}") for k in range(entries)),
    )


def _batches() -> list[dict[str, Any]]:
    """The batches both loads get, in order."""
    first = [_item(n) for n in range(1, 9)]
    changed = _item(2, body="更正：2024年，上海港集装箱吞吐量5150.6万标箱，同比增长4.8%。" * 4, indicators=5)
    shrunk = _item(3, body="短。", indicators=0)
    return [
        {
            "articles": first,
            "fetches": [_fetch(i.article.url, "a" * 64) for i in first[:4]],
            "layouts": [_layout(1, 5), _layout(4, 0)],
            "ad_pages": {_layout(4, 0).url},
            "failures": [Failure(_url(90), FailureStage.FETCH, "HTTP 500", http_status=500)],
        },
        {
            # A changed article, an unchanged one, the same article twice (the last one counts), a
            # drastically shrunk version (held back), a new one, and a failure resolved by a load.
            "articles": [
                changed,
                first[3],
                _item(5, title="初稿"),
                _item(5, title="终稿", indicators=2),
                shrunk,
                _item(90),
            ],
            "fetches": [_fetch(first[3].article.url, "a" * 64, FetchStatus.NOT_MODIFIED)],
            "layouts": [replace(_layout(1, 6), page_name="要闻·更新")],
            "failures": [Failure(_url(91), FailureStage.PARSE, "no title")],
        },
        {
            # A mirror's copy of a stored article (same id, another URL) that changed, and the
            # shrunk version taken this time.
            "articles": [_item(6, host="127.0.0.1:8000", title="镜像", indicators=4), shrunk],
            "accept_changes": True,
        },
    ]


# --------------------------------------------------------------------------- the reference load


def _stage(con: duckdb.DuckDBPyConnection, name: str, table: str, dicts: list[dict[str, Any]]) -> None:
    schema = con.sql(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema
    con.register(name, pa.Table.from_pylist(dicts, schema=schema))


def _reference_load(db: Path, run_id: str, batch: dict[str, Any]) -> None:
    now = dt.datetime.now(dt.UTC)
    items = {rows.article_id_for(i.article.url): i for i in batch.get("articles", [])}
    with load.connect(db) as con, load.transaction(con):
        held: list[str] = []
        loaded: list[str] = []
        for aid, item in items.items():
            source = rows.ArticleLoad(item, VERSION, run_id, now, PARSER)
            article_row = rows.row(rows.ARTICLE_COLUMNS, source)
            by_id = con.execute("SELECT content_hash FROM articles WHERE article_id = ?", [aid]).fetchall()
            if by_id and by_id[0][0] == article_row["content_hash"]:
                con.execute(
                    "UPDATE articles SET parser_version = ?, source_digest = ? WHERE article_id = ?",
                    [PARSER, item.source_digest, aid],
                )
                loaded.append(item.article.url)
                continue
            old_ids = [aid] + [
                r[0]
                for r in con.execute(
                    "SELECT article_id FROM articles WHERE url = ? AND article_id <> ?",
                    [item.article.url, aid],
                ).fetchall()
            ]
            stored = con.execute(
                "SELECT length(body_text), paragraph_count, "
                "(SELECT count(*) FROM indicators i WHERE i.article_id = a.article_id) "
                "FROM articles a WHERE article_id = ? OR url = ? ORDER BY article_id = ?",
                [aid, item.article.url, aid],
            ).fetchall()
            indicator_rows = list(
                {
                    r["indicator_id"]: r
                    for r in (
                        rows.row(rows.INDICATOR_COLUMNS, rows.IndicatorLoad(aid, ind, VERSION))
                        for ind in item.indicators
                    )
                }.values()
            )
            if stored and not batch.get("accept_changes"):
                chars, paragraphs, count = stored[-1]
                old = ArticleStats(body_chars=chars, paragraphs=paragraphs, indicators=count)
                new = ArticleStats(
                    body_chars=len(item.article.body_text),
                    paragraphs=len(item.article.paragraphs),
                    indicators=len(indicator_rows),
                )
                if (reason := suspicious_change(old, new)) is not None:
                    held.append(item.article.url)
                    _stage(
                        con,
                        "ref_failure",
                        "failures",
                        [
                            rows.failure_row(
                                Failure(
                                    item.article.url,
                                    FailureStage.LOAD,
                                    reason,
                                    kind=ref_for_url(item.article.url).kind,
                                ),
                                run_id,
                                now,
                            )
                        ],
                    )
                    con.execute(UPSERT_FAILURES.replace("stage_failures", "ref_failure"))
                    continue
            for table in ("indicators", "images", "articles"):
                for old_id in old_ids:
                    con.execute(f"DELETE FROM {table} WHERE article_id = ?", [old_id])
            _stage(con, "ref_article", "articles", [article_row])
            con.execute("INSERT INTO articles BY NAME SELECT * FROM ref_article")
            image_rows = [rows.row(rows.IMAGE_COLUMNS, rows.ImageLoad(aid, i)) for i in item.article.images]
            if image_rows:
                _stage(con, "ref_images", "images", image_rows)
                con.execute("INSERT INTO images BY NAME SELECT * FROM ref_images")
            if indicator_rows:
                _stage(con, "ref_indicators", "indicators", indicator_rows)
                con.execute("INSERT INTO indicators BY NAME SELECT * FROM ref_indicators")
            loaded.append(item.article.url)
        pages = {f.url: rows.page_row(f, k, run_id, now) for f, k in batch.get("fetches", [])}
        if pages:
            _stage(con, "stage_pages", "pages", list(pages.values()))
            con.execute(_UPSERT_PAGES)
        ad_pages = batch.get("ad_pages", set())
        layouts = {
            source_key(lp.url): rows.layout_row(lp, lp.url in ad_pages, run_id, now)
            for lp in batch.get("layouts", [])
        }
        if layouts:
            _stage(con, "stage_layouts", "layout_pages", list(layouts.values()))
            con.execute(_UPSERT_LAYOUTS)
        # A failure of an article the batch read is dropped, even when its new version was held.
        resolved = {source_key(i.article.url) for i in items.values()}
        failures = [
            rows.failure_row(f, run_id, now)
            for f in batch.get("failures", [])
            if source_key(f.url) not in resolved
        ]
        if failures:
            _stage(con, "stage_failures", "failures", failures)
            con.execute(UPSERT_FAILURES)
        for url in loaded:
            con.execute(
                "UPDATE failures SET resolved_at = ? "
                "WHERE resolved_at IS NULL AND (source_key = ? OR url = ?)",
                [now, source_key(url), url],
            )


# --------------------------------------------------------------------------- the comparison


def _table(db: Path, table: str) -> list[tuple[Any, ...]]:
    with load.connect(db, read_only=True) as con:
        names = [r[0] for r in con.execute(f"SELECT * FROM {table} LIMIT 0").description or ()]
        clock = CLOCK_COLUMNS.get(table, set())
        # A clock column is compared as whether it is set.
        columns = ", ".join(f'"{n}" IS NULL' if n in clock else f'"{n}"' for n in names)
        return con.execute(f"SELECT {columns} FROM {table} ORDER BY ALL").fetchall()


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[load.LoadCounts]]:
    root = tmp_path_factory.mktemp("same_rows")
    template = root / "empty.duckdb"
    load.ensure_schema(template)
    loaded, reference = root / "loaded.duckdb", root / "reference.duckdb"
    for db in (loaded, reference):
        db.write_bytes(template.read_bytes())
    counts = []
    for db in (loaded, reference):
        with load.connect(db) as con:
            # A stored row whose id was derived by an older key: the load replaces it by its URL.
            stale = rows.row(
                rows.ARTICLE_COLUMNS,
                rows.ArticleLoad(_item(7), "old-version", "old-run", dt.datetime(2025, 1, 1, tzinfo=dt.UTC)),
            )
            _stage(con, "old", "articles", [{**stale, "article_id": "oldkey0000000007", "url": _url(7)}])
            con.execute("INSERT INTO articles BY NAME SELECT * FROM old")
    for n, batch in enumerate(_batches()):
        run_id = f"run-{n}"
        counts.append(
            load.load_batch(
                loaded,
                run_id,
                articles=batch.get("articles", ()),
                fetches=batch.get("fetches", ()),
                failures=batch.get("failures", ()),
                layouts=batch.get("layouts", ()),
                ad_pages=batch.get("ad_pages", ()),
                extractor_version=VERSION,
                parser_version=PARSER,
                accept_changes=batch.get("accept_changes", False),
            )
        )
        _reference_load(reference, run_id, batch)
    return loaded, reference, counts


@pytest.mark.parametrize("table", TABLES)
def test_every_column_of_every_row_is_what_the_reference_load_writes(
    warehouses: tuple[Path, Path, list[load.LoadCounts]], table: str
) -> None:
    loaded, reference, _ = warehouses
    expected = _table(reference, table)
    assert expected, f"the batches leave {table} empty: the comparison would prove nothing"
    assert _table(loaded, table) == expected


def test_the_batches_take_every_path(warehouses: tuple[Path, Path, list[load.LoadCounts]]) -> None:
    _, _, counts = warehouses
    first, second, third = counts
    assert first.articles_loaded == 8
    # changed, the duplicate's last version and the new article; the shrunk one held; one unchanged.
    assert (second.articles_loaded, second.articles_unchanged) == (3, 1)
    assert [f.url for f in second.suspicious_changes] == [_url(3)]
    assert (third.articles_loaded, third.suspicious_changes) == (2, [])


def test_ids_and_hashes_are_their_definitions(warehouses: tuple[Path, Path, list[load.LoadCounts]]) -> None:
    loaded, _, _ = warehouses
    with load.connect(loaded, read_only=True) as con:
        articles = con.execute("SELECT article_id, url, content_hash FROM articles").fetchall()
        indicators = con.execute(
            "SELECT indicator_id, article_id, source, image_position, char_start, char_end, unit "
            "FROM indicators"
        ).fetchall()
    for article_id, url, _hash in articles:
        assert article_id == hashlib.sha256(source_key(url).encode()).hexdigest()[:16]
    for indicator_id, article_id, src, image_position, start, end, unit in indicators:
        key = f"{article_id}|{src}|{image_position}|{start}|{end}|{unit}"
        assert indicator_id == hashlib.sha256(key.encode()).hexdigest()[:20]
    # The content hash of an article as loaded, from its definition: the content columns, the
    # paragraphs and the images' paths, as sorted JSON.
    item = _item(1)
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
        "extractor_version": VERSION,
        "paragraphs": [[p.text, p.is_subhead] for p in a.paragraphs],
        "images": [[i.position, urlsplit(i.src).path, i.caption, i.credit] for i in a.images],
    }
    expected = hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    assert (rows.article_id_for(a.url), a.url, expected) in articles


def test_clock_columns_are_one_time_per_batch(warehouses: tuple[Path, Path, list[load.LoadCounts]]) -> None:
    loaded, _, _ = warehouses
    with load.connect(loaded, read_only=True) as con:
        per_run = con.execute(
            "SELECT run_id, count(DISTINCT loaded_at) FROM articles GROUP BY run_id"
        ).fetchall()
    assert per_run and all(times == 1 for _, times in per_run)


def test_reprocess_replaces_through_the_same_rows(
    warehouses: tuple[Path, Path, list[load.LoadCounts]], tmp_path: Path
) -> None:
    """Re-reading stored articles with a new extractor rewrites exactly the rows a fresh load of the
    same records writes, and reports the indicator rows before and after."""
    loaded, _, _ = warehouses
    reprocessed, fresh = tmp_path / "reprocessed.duckdb", tmp_path / "fresh.duckdb"
    reprocessed.write_bytes(loaded.read_bytes())
    fresh.write_bytes(loaded.read_bytes())
    items = [_item(1, indicators=2), _item(4), _item(8, indicators=6)]
    counts = load.replace_articles(
        reprocessed, "reprocess", articles=items, extractor_version="same-rows-2", parser_version=PARSER
    )
    assert (counts.articles_loaded, counts.articles_unchanged) == (3, 0)
    by_url = {r.url: r for r in counts.rewritten}
    assert (len(by_url[_url(1)].before), len(by_url[_url(1)].after)) == (3, 2)
    assert {r["extractor_version"] for r in by_url[_url(8)].after} == {"same-rows-2"}
    with load.connect(fresh) as con:
        # The same articles loaded afresh: deleted first, so the load writes them as new.
        for table in ("indicators", "images", "articles"):
            con.execute(
                f"DELETE FROM {table} WHERE article_id IN ?",
                [[rows.article_id_for(i.article.url) for i in items]],
            )
    load.load_batch(
        fresh, "reprocess", articles=items, extractor_version="same-rows-2", parser_version=PARSER
    )
    for table in ("articles", "images", "indicators"):
        assert _table(reprocessed, table) == _table(fresh, table)
    again = load.replace_articles(
        reprocessed, "again", articles=items, extractor_version="same-rows-2", parser_version=PARSER
    )
    assert (again.articles_loaded, again.articles_unchanged) == (0, 3)
