"""The whole pipeline as Prefect runs it: sample site on 127.0.0.1 -> flows -> a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.common import summary_of
from flows.epaper import daily_epaper
from flows.ingest import ingest_urls

pytestmark = pytest.mark.usefixtures("prefect_harness")

DAY = "2025-09-03"
PORTAL = ("/n1/2025/0903/c1004-40556677.html", "/n2/2025/0902/c134768-41234567.html")
TABLES = ("articles", "images", "indicators")


def _q(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    # loaded_at and run_id say when a row was written: equal snapshots prove nothing was rewritten.
    return {t: _q(db, f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}


def _crawl(db: Path, site_url: str) -> tuple[object, object]:
    epaper = summary_of(daily_epaper(date=DAY, db=str(db), base_url=site_url, delay=0, return_state=True))
    portal = summary_of(
        ingest_urls(urls=[site_url + p for p in PORTAL], db=str(db), delay=0, return_state=True)
    )
    return epaper, portal


def test_day_and_portal_load_once_and_rerun_changes_nothing(tmp_path: Path, site_url: str) -> None:
    db = tmp_path / "w.duckdb"
    epaper, portal = _crawl(db, site_url)
    assert epaper.failures == [] and portal.failures == []  # type: ignore[attr-defined]
    assert epaper.counts.articles_loaded == 5  # type: ignore[attr-defined]
    assert portal.counts.articles_loaded == 2  # type: ignore[attr-defined]

    assert _q(db, "SELECT count(*) FROM articles") == [(7,)]
    assert _q(db, "SELECT count(*) FROM images") == [(6,)]
    # Skipped, never fetched: the 广告 page's entries and the 本版责编 credit line.
    assert _q(db, "SELECT count(*) FROM articles WHERE title LIKE '%责编%' OR title LIKE '%广告%'") == [(0,)]
    assert _q(db, "SELECT count(*) FROM pages WHERE url LIKE '%content_30170123%'") == [(0,)]
    # 3 版面 + the 404 that ends the probe + 5 articles + 2 portal pages + 1 continuation page.
    assert _q(db, "SELECT status, count(*) FROM pages GROUP BY ALL ORDER BY ALL") == [
        ("not_found", 1),
        ("ok", 11),
    ]
    assert _q(
        db, "SELECT page, page_name, count(*) FROM articles WHERE page IS NOT NULL GROUP BY ALL ORDER BY ALL"
    ) == [
        (1, "要闻", 3),
        (2, "经济", 2),
    ]
    # E-paper articles name no editor; the 版面's 本版责编 credit line does.
    assert _q(db, "SELECT DISTINCT page, editors FROM articles WHERE page IS NOT NULL ORDER BY page") == [
        (1, []),
        (2, ["王浩", "李平"]),
    ]
    # Stale e-paper meta dates (2013-07-17) never win.
    assert _q(db, "SELECT DISTINCT published_date::VARCHAR FROM articles WHERE template LIKE 'epaper%'") == [
        (DAY,)
    ]

    # Every indicator traces back to its exact text.
    spans = _q(
        db,
        "SELECT i.raw, CASE WHEN i.source = 'body' THEN a.body_text ELSE img.caption END, "
        "i.char_start, i.char_end "
        "FROM indicators i JOIN articles a USING (article_id) "
        "LEFT JOIN images img ON img.article_id = i.article_id AND img.position = i.image_position",
    )
    assert len(spans) >= 40
    for raw, text, start, end in spans:
        assert text[start:end] == raw  # type: ignore[index]
    assert _q(db, "SELECT count(*) FROM indicators WHERE source = 'caption'")[0][0] >= 2  # type: ignore[operator]
    # A caption figure also printed in the body is flagged, so sums can leave it out.
    assert _q(db, "SELECT source, raw FROM v_indicators WHERE caption_repeats_body") == [
        ("caption", "1136套")
    ]
    assert _q(db, "SELECT count(*) FROM articles WHERE body_text = '' OR title = ''") == [(0,)]

    # Captions are their own rows, printed once, with the credit split off, and not in the body.
    captions = _q(
        db, "SELECT a.body_text, img.caption, img.credit FROM images img JOIN articles a USING (article_id)"
    )
    for body, caption, credit in captions:
        assert caption, "every sample photo has a caption"
        assert caption not in body  # type: ignore[operator]
        assert credit is None or credit not in caption  # type: ignore[operator]
    assert _q(db, "SELECT count(*) FROM images WHERE credit IS NOT NULL")[0][0] == 6

    # The GBK page (declared GB2312) arrives readable, with its byline taken out of the body.
    (gbk,) = _q(db, "SELECT title, authors, body_text FROM articles WHERE url LIKE '%/n2/%'")
    assert "\ufffd" not in gbk[0] + gbk[2]  # type: ignore[operator]
    assert gbk[1] == ["郑晓宁"]
    assert "本报记者" not in gbk[2]  # type: ignore[operator]
    # The two-page portal article is one article holding both pages' paragraphs.
    (national,) = _q(db, "SELECT url, paragraph_count, body_text FROM articles WHERE url LIKE '%/n1/%'")
    assert national[0] == site_url + PORTAL[0]
    assert "Play Video" not in national[2]  # type: ignore[operator]

    before = _snapshot(db)
    epaper2, portal2 = _crawl(db, site_url)
    assert epaper2.counts.articles_loaded == 0 and epaper2.counts.articles_unchanged == 5  # type: ignore[attr-defined]
    # Conditional GETs: the server answers 304 and the archived copy is re-read, nothing downloaded.
    assert (epaper2.pages_fetched, epaper2.pages_not_modified) == (0, 8)  # type: ignore[attr-defined]
    assert (portal2.pages_fetched, portal2.pages_not_modified) == (0, 3)  # type: ignore[attr-defined]
    assert portal2.counts.articles_loaded == 0 and portal2.counts.articles_unchanged == 2  # type: ignore[attr-defined]
    assert _snapshot(db) == before
    forced = summary_of(
        daily_epaper(date=DAY, db=str(db), base_url=site_url, delay=0, refresh=True, return_state=True)
    )
    assert (forced.pages_fetched, forced.pages_not_modified) == (8, 0)
    assert forced.counts.articles_unchanged == 5
    assert _snapshot(db) == before
    assert _q(db, "SELECT flow, status FROM runs ORDER BY started_at") == [
        ("daily_epaper", "ok"),
        ("ingest_urls", "ok"),
        ("daily_epaper", "ok"),
        ("ingest_urls", "ok"),
        ("daily_epaper", "ok"),
    ]


def test_missing_pages_are_recorded_and_the_rest_loads(tmp_path: Path, site_url: str) -> None:
    db = tmp_path / "w.duckdb"
    good = site_url + PORTAL[1]
    missing = site_url + "/n1/2025/0903/c1004-99999999.html"
    summary = summary_of(ingest_urls(urls=[missing, good], db=str(db), delay=0, return_state=True))
    assert summary.counts.articles_loaded == 1
    assert [(u, s) for u, s, _ in summary.failures] == [(missing, "fetch")]
    assert _q(
        db, "SELECT url, stage, http_status, failure_count FROM failures WHERE resolved_at IS NULL"
    ) == [(missing, "fetch", 404, 1)]
    # The next run retries the open failure by itself, and reports it apart from its own pages.
    again = summary_of(ingest_urls(urls=[good], db=str(db), delay=0, return_state=True))
    assert again.failures == [] and [u for u, _, _ in again.retry_failures] == [missing]
    assert _q(db, "SELECT failure_count FROM failures") == [(2,)]


def test_a_day_without_an_issue_is_a_failure(tmp_path: Path, site_url: str) -> None:
    db = tmp_path / "w.duckdb"
    summary = summary_of(
        daily_epaper(date="2025-09-04", db=str(db), base_url=site_url, delay=0, return_state=True)
    )
    assert summary.counts.articles_loaded == 0
    assert [(u.rsplit("/", 3)[-3:], s) for u, s, _ in summary.failures] == [
        (["202509", "04", "node_01.html"], "fetch")
    ]
    assert _q(db, "SELECT status FROM runs") == [("partial",)]


def test_an_old_scheme_day(tmp_path: Path) -> None:
    """Before 2024-12-01 the e-paper lived at /rmrb/html/…/nbs.D110000renmrb_NN.htm; the same flow
    crawls it. Only one article of the page is bundled: the others are recorded as 404 failures."""
    from etl.demo import serve_directory

    pages = Path(__file__).parent / "fixtures" / "pages"
    day_dir = tmp_path / "site" / "rmrb" / "html" / "2019-03" / "01"
    day_dir.mkdir(parents=True)
    (day_dir / "nbs.D110000renmrb_01.htm").write_bytes(
        (pages / "rmrb_html_2019-03-01_nbs.D110000renmrb_04.htm").read_bytes()
    )
    (day_dir / "nw.D110000renmrb_20190301_3-04.htm").write_bytes(
        (pages / "rmrb_html_2019-03-01_nw.D110000renmrb_20190301_3-04.htm").read_bytes()
    )
    db = tmp_path / "w.duckdb"
    with serve_directory(tmp_path / "site") as base:
        summary = summary_of(
            daily_epaper(date="2019-03-01", db=str(db), base_url=base, delay=0, return_state=True)
        )
    (article,) = _q(db, "SELECT title, published_date::VARCHAR, page, template FROM articles")
    assert article == ("春耕备耕有序推进", "2019-03-01", 4, "epaper_old")
    failed = sorted(u.rsplit("_", 1)[-1] for u, _, _ in summary.failures if "/nw." in u)
    assert failed == ["1-04.htm", "2-04.htm", "5-04.htm"]  # 4-04 is the 本版责编 credit line: skipped
    # The page switcher lists 20 版面; past the probe's end (02, a 404) the other listed pages are
    # visited too, and this partial copy has none of them.
    missing_pages = sorted(u.rsplit("_", 1)[-1] for u, _, _ in summary.failures if "/nbs." in u)
    assert missing_pages == [f"{n:02d}.htm" for n in range(3, 21)]
    assert _q(db, "SELECT count(*) FROM indicators")[0][0] > 0  # type: ignore[operator]


def test_a_mirror_on_another_port_adds_no_duplicates(tmp_path: Path, site_url: str) -> None:
    from etl.demo import serve_directory

    db = tmp_path / "w.duckdb"
    _crawl(db, site_url)
    before = _snapshot(db)
    with serve_directory(Path(__file__).parent / "fixtures" / "site") as other:
        assert other != site_url
        epaper, portal = _crawl(db, other)
    assert epaper.counts.articles_unchanged == 5 and portal.counts.articles_unchanged == 2  # type: ignore[attr-defined]
    assert _snapshot(db) == before


def test_ingest_takes_epaper_article_urls_too(tmp_path: Path, site_url: str) -> None:
    db = tmp_path / "w.duckdb"
    url = site_url + "/rmrb/pc/content/202509/03/content_30170120.html"
    summary = summary_of(ingest_urls(urls=[url], db=str(db), delay=0, return_state=True))
    assert summary.failures == [] and summary.counts.articles_loaded == 1
    assert _q(db, "SELECT template, page, page_name, published_date::VARCHAR, source FROM articles") == [
        ("epaper_new", 1, "要闻", DAY, "人民日报")
    ]
