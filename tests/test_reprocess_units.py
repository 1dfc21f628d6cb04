"""The parts of `etl reprocess` that need no Prefect: the indicator diff, which archived pages the
load side chooses (a real DuckDB file), and one archived article read again from a real archive."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from etl import load
from etl.extract import EXTRACTOR_VERSION
from etl.fetch import RawArchive
from etl.indicator_changes import IndicatorChanges, MetricChange
from etl.models import ArchivedArticle, ArchivedPage, Failure, FetchResult, FetchStatus, PageKind, PageRef
from etl.reprocess import plan, reprocess_article
from etl.urls import epaper_layout_page_no

SITE = Path(__file__).parent / "fixtures" / "site"


def _row(metric: str, value: float, start: int, version: str = "v1") -> dict[str, Any]:
    return {
        "indicator_id": f"id-{metric}-{start}-{version}",
        "article_id": "a",
        "metric": metric,
        "value": value,
        "unit": "亿元",
        "char_start": start,
        "char_end": start + 4,
        "extractor_version": version,
    }


def test_the_diff_counts_facts_not_ids_or_versions() -> None:
    changes = IndicatorChanges()
    before = [_row("出口", 1.0, 0), _row("进口", 2.0, 10), _row("进口", 2.0, 10)]
    after = [_row("出口", 1.0, 0, "v2"), _row("进口额", 2.0, 10, "v2"), _row("利润", 3.0, 20, "v2")]
    changes.count_article(before, after)
    changes.count_article([_row("出口", 1.0, 0)], [_row("出口", 1.0, 0, "v2")])  # restamped only
    assert (changes.articles_changed, changes.added, changes.removed) == (1, 2, 2)
    assert changes.by_metric() == [
        MetricChange("进口", 0, 2),
        MetricChange("利润", 1, 0),
        MetricChange("进口额", 1, 0),
    ]
    assert changes.metric_json(limit=1) == {"进口": {"added": 0, "removed": 2}}


@pytest.mark.parametrize(
    ("url", "page"),
    [
        ("http://paper.people.com.cn/rmrb/pc/layout/202509/03/node_03.html", 3),
        ("http://127.0.0.1:8000/rmrb/html/2019-03/01/nbs.D110000renmrb_12.htm", 12),
        ("http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170120.html", None),
    ],
)
def test_the_page_number_of_a_layout_url(url: str, page: int | None) -> None:
    assert epaper_layout_page_no(url) == page


def _archived(
    archive: RawArchive, path: str, host: str, kind: PageKind, fetched: dt.date = dt.date(2025, 9, 3)
) -> tuple[FetchResult, PageKind]:
    raw = (SITE / path.lstrip("/")).read_bytes()
    url = f"http://{host}{path}"
    fetch = FetchResult(
        url=url,
        status=FetchStatus.OK,
        final_url=url,
        http_status=200,
        encoding="utf-8",
        sha256=archive.put(raw),
        size=len(raw),
        fetched_at=dt.datetime.combine(fetched, dt.time(1), tzinfo=dt.UTC),
    )
    return fetch, kind


def test_archived_pages_reads_each_article_once_with_its_continuations(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path / "raw")
    db = tmp_path / "w.duckdb"
    first = "/n1/2025/0903/c1004-40556677.html"
    second = "/n1/2025/0903/c1004-40556677-2.html"
    layout = "/rmrb/pc/layout/202509/03/node_02.html"
    portal = PageKind.PORTAL_ARTICLE
    fetches = [
        _archived(archive, first, "a.example", portal),
        # The same article from a mirror, fetched a day later: one article, read from this copy.
        _archived(archive, first, "b.example", portal, dt.date(2025, 9, 4)),
        _archived(archive, second, "b.example", portal),
        _archived(archive, layout, "b.example", PageKind.EPAPER_LAYOUT),
    ]
    with load.connect(db) as con:
        load.migrate(con)
    load.load_batch(db, "setup", fetches=fetches, extractor_version=EXTRACTOR_VERSION)

    selection = load.archived_pages(db)
    assert [p.url for p in selection.articles] == ["http://b.example" + first]
    assert [p.url for p in selection.continuations] == ["http://b.example" + second]
    assert selection.layouts == []  # only the days of e-paper articles need their 版面
    assert load.archived_pages(db, since=dt.date(2025, 9, 4)).articles == []
    assert len(load.archived_pages(db, until=dt.date(2025, 9, 3)).articles) == 1

    items, failures = plan(selection.articles, selection.continuations, selection.layouts, archive)
    assert failures == []
    (item,) = items
    read = reprocess_article(item, archive)
    assert not isinstance(read, Failure)
    assert read.article.url == "http://b.example" + first
    assert "Play Video" not in read.article.body_text
    # Without its archived second page the article fails whole, as a failed download does.
    alone = reprocess_article(ArchivedArticle(item.ref, item.first), archive)
    assert isinstance(alone, Failure)
    assert alone.reason.startswith(f"continuation page http://b.example{second}: no archived copy")


def test_a_missing_archive_entry_is_a_fetch_failure(tmp_path: Path) -> None:
    page = ArchivedPage("http://a.example/n1/2025/0903/c1004-1.html", PageKind.PORTAL_ARTICLE, "ab" * 32)
    item = ArchivedArticle(PageRef(page.url, page.kind), page)
    failure = reprocess_article(item, RawArchive(tmp_path / "raw"))
    assert isinstance(failure, Failure)
    assert (failure.stage, failure.url) == ("fetch", page.url)
    assert "not in the archive" in failure.reason
