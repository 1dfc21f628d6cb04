"""One content-id form: what the parsers store is the id inside source_key, and migration 007 brings
stored old e-paper ids to that form without re-keying any article."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from etl import load
from etl.models import Article, Paragraph, ProcessedArticle
from etl.urls import content_id_of, source_key

OLD_EPAPER_URL = "http://paper.people.com.cn/rmrb/html/2019-03/01/nw.D110000renmrb_20190301_3-04.htm"
NEW_EPAPER_URL = "http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170118.html"
PORTAL_URL = "http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html"


@pytest.mark.parametrize(
    ("url", "content_id"),
    [
        (OLD_EPAPER_URL, "20190301_3-04"),
        (NEW_EPAPER_URL, "30170118"),
        ("http://paper.people.com.cn/rmrbhwb/pad/content/202505/15/content_30073159.html", "30073159"),
        (PORTAL_URL, "40223222"),
        ("http://culture.people.com.cn/n1/2019/0726/c1013-31257663-2.html", "31257663"),
        ("http://js.people.com.cn/n2/2022/0212/c360307-35131222.html", "35131222"),
    ],
)
def test_the_content_id_is_the_id_inside_the_source_key(url: str, content_id: str) -> None:
    assert content_id_of(url) == content_id
    assert source_key(url).endswith(f":{content_id}")


@pytest.mark.parametrize(
    ("url", "content_id"),
    [
        # Not keyed by their id (the key is the URL), yet the id is read in the same form.
        ("http://127.0.0.1:8000/saved/nw.D110000renmrb_20190301_3-04.htm?from=x", "20190301_3-04"),
        ("http://www.people.com.cn/GB/1024/12345678.html", "12345678"),
        ("http://lianghui.people.com.cn/special/c417507-29873336.htm", "29873336"),
        ("http://x/saved/content_42.htm", "42"),
        ("http://x/rmrb/pc/layout/202509/03/node_01.html", None),
        ("http://[::1/n1/2024/0424/c1001-40223222.html", None),
    ],
)
def test_urls_not_keyed_by_their_id_still_give_it_in_the_one_form(url: str, content_id: str | None) -> None:
    assert content_id_of(url) == content_id


# Article ids are hashes of these keys: an output that changed would load every such article again.
@pytest.mark.parametrize(
    ("url", "key"),
    [
        (
            "http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170118.html",
            "epaper:rmrb:30170118",
        ),
        (
            "http://127.0.0.1:8000/rmrbhwb/pad/content/202505/15/content_30073159.html",
            "epaper:rmrbhwb:30073159",
        ),
        (OLD_EPAPER_URL, "epaper-old:20190301_3-04"),
        ("http://paper.people.com.cn/rmrb/pc/layout/202509/03/node_01.html", "epaper-page:20250903:01"),
        (
            "http://paper.people.com.cn/rmrb/html/2019-03/01/nbs.D110000renmrb_04.htm",
            "epaper-page:20190301:04",
        ),
        (PORTAL_URL, "portal:n1:40223222"),
        ("https://world.people.com.cn:8443/n1/2024/0424/c1002-40223222-3.html", "portal:n1:40223222"),
        ("http://js.people.com.cn/n2/2022/0212/c360307-35131222.html", "portal:n2:35131222"),
        ("http://en.people.cn/n3/2024/0424/c90000-20163000.html", "portal:n3:20163000"),
        ("http://www.people.com.cn/n/2013/1227/c373005-23961344.html", "portal:n:23961344"),
        ("http://www.people.com.cn/GB/1024/12345678.html", "http://www.people.com.cn/GB/1024/12345678.html"),
        ("http://culture.people.com.cn/n1/2019/0726/c1013-31257663-2.html?from=x#top", "portal:n1:31257663"),
        ("http://[::1/n1/2024/0424/c1001-40223222.html", "http://[::1/n1/2024/0424/c1001-40223222.html"),
    ],
)
def test_source_keys_are_unchanged(url: str, key: str) -> None:
    assert source_key(url) == key


def _processed(content_id: str) -> ProcessedArticle:
    article = Article(
        url=OLD_EPAPER_URL,
        title="春耕备耕有序推进",
        template="epaper_old",
        published_at=dt.datetime(2019, 3, 1),
        source="人民日报",
        page_no=4,
        content_id=content_id,
        paragraphs=(Paragraph("眼下，春耕备耕由南向北陆续展开。"),),
    )
    return ProcessedArticle(article=article, indicators=[], fetched_at=dt.datetime(2019, 3, 1, 8))


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with load.connect(db) as con:
        return con.execute(sql).fetchall()


def test_migration_rewrites_stored_old_epaper_ids_and_a_rerun_adds_no_duplicate(tmp_path: Path) -> None:
    before = tmp_path / "warehouse"
    shutil.copytree(load.WAREHOUSE_SQL_DIR, before)
    # The warehouse as it was before 007: that migration and any later one not applied yet.
    later = sorted(p for p in (before / "migrations").glob("*.sql") if int(p.name.split("_")[0]) >= 7)
    for path in later:
        path.unlink()
    db = tmp_path / "w.duckdb"
    with load.connect(db) as con:
        load.migrate(con, before)
    old_form = _processed("D110000renmrb_20190301_3-04")
    portal = dataclasses.replace(
        _processed("L_35131222"),
        article=dataclasses.replace(old_form.article, url=PORTAL_URL, content_id="L_35131222"),
    )
    load.load_batch(db, "run-1", articles=[old_form, portal], extractor_version="test-1")
    (article_id,) = _rows(db, f"SELECT article_id FROM articles WHERE url = '{OLD_EPAPER_URL}'")[0]

    with load.connect(db) as con:
        assert load.migrate(con) == [int(p.name.split("_")[0]) for p in later]

    assert sorted(_rows(db, "SELECT url, content_id FROM articles")) == [
        (OLD_EPAPER_URL, "20190301_3-04"),
        (PORTAL_URL, "L_35131222"),  # a page's own id (its meta) is left as it is
    ]
    # The page parsed again today carries the new form and loads onto the same row.
    load.load_batch(db, "run-2", articles=[_processed("20190301_3-04")], extractor_version="test-1")
    assert _rows(db, f"SELECT article_id, content_id FROM articles WHERE url = '{OLD_EPAPER_URL}'") == [
        (article_id, "20190301_3-04")
    ]
    assert _rows(db, "SELECT count(*) FROM articles") == [(2,)]
