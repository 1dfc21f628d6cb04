"""The analyst views over series and days: metric_synonyms from its CSV, v_indicator_series and its
conflict rule, layout_pages and v_daily (with v_daily_summary kept on top of it)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from etl import load, parse
from etl.discover import is_ad_page
from etl.load.migrations import SynonymsError, metric_synonyms
from etl.urls import date_from_url

SITE = Path(__file__).parent / "fixtures" / "site"

# --------------------------------------------------------------------------- v_indicator_series


def _warehouse(sql_dir: Path = load.WAREHOUSE_SQL_DIR) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    load.migrate(con, sql_dir)
    return con


def _article(con: duckdb.DuckDBPyConnection, article_id: str, day: str) -> None:
    con.execute(
        "INSERT INTO articles (article_id, url, title, published_at, published_date, template, "
        "paragraph_count, body_text, content_hash, extractor_version, loaded_at, run_id) "
        "VALUES (?, ?, ?, ?, ?, 'portal_2020', 1, 'text', 'h', 'v', now(), 'r')",
        [article_id, f"http://www.people.com.cn/n1/{article_id}.html", article_id, day, day],
    )


def _report(con: duckdb.DuckDBPyConnection, article_id: str, n: int, **fields: Any) -> None:
    row = {
        "indicator_id": f"{article_id}-{n}",
        "article_id": article_id,
        "source": "body",
        "metric": "国内生产总值",
        "measure": "growth",
        "basis": "yoy",
        "value": 5.2,
        "unit": "%",
        "qualifier": "exact",
        "period": "2024",
        "region": "全国",
        "raw": "5.2%",
        "sentence": "s",
        "char_start": n,
        "char_end": n + 1,
        "extractor_version": "v",
        **fields,
    }
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"INSERT INTO indicators ({names}) VALUES ({marks})", list(row.values()))


def _series(con: duckdb.DuckDBPyConnection) -> dict[tuple[Any, ...], dict[str, Any]]:
    cur = con.execute("SELECT * FROM v_indicator_series")
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    return {(r["metric_key"], r["measure"], r["period"], r["region"], r["unit"]): r for r in rows}


def test_synonyms_join_one_series_and_figures_that_round_alike_agree() -> None:
    con = _warehouse()
    for a, day in (("a1", "2025-01-17"), ("a2", "2025-01-18"), ("a3", "2025-03-05")):
        _article(con, a, day)
    # The same GDP level printed at two precisions: 126.06万亿 is 1260582亿 at its own precision.
    _report(
        con,
        "a1",
        1,
        metric="国内生产总值",
        measure="level",
        basis="",
        value=1.260582e14,
        unit="元",
        raw="1260582亿元",
    )
    _report(
        con, "a2", 1, metric="GDP", measure="level", basis="", value=1.2606e14, unit="元", raw="126.06万亿元"
    )
    _report(
        con,
        "a3",
        1,
        metric="地区生产总值",
        measure="level",
        basis="",
        value=1.260582e14,
        unit="元",
        raw="1260582亿元",
    )
    # Growth: 5.24% rounds to 5.2% (agrees); 5.3% does not.
    _report(con, "a1", 2, value=5.2, raw="5.2%")
    _report(con, "a2", 2, value=5.24, raw="5.24%")
    _report(con, "a1", 3, value=5.2, raw="5.2%", period="2023")
    _report(con, "a3", 3, value=5.3, raw="5.3%", period="2023")
    series = _series(con)

    level = series[("gdp", "level", "2024", "全国", "元")]
    assert level["reports"] == 3 and not level["conflict"]
    assert sorted(level["metrics"]) == ["GDP", "国内生产总值", "地区生产总值"]
    assert (level["first_reported"], level["last_reported"]) == (dt.date(2025, 1, 17), dt.date(2025, 3, 5))
    assert level["value"] == pytest.approx(1.260582e14)  # the most precise report
    agreeing = series[("gdp", "growth", "2024", "全国", "%")]
    assert not agreeing["conflict"] and agreeing["value"] == pytest.approx(5.24)
    disagreeing = series[("gdp", "growth", "2023", "全国", "%")]
    assert disagreeing["conflict"] and (disagreeing["min_value"], disagreeing["max_value"]) == (5.2, 5.3)


def test_unlisted_metrics_are_their_own_key_and_approximate_figures_are_not_compared() -> None:
    con = _warehouse()
    _article(con, "a1", "2025-01-17")
    _article(con, "a2", "2025-01-18")
    _report(
        con, "a1", 1, metric="港区冷库容量", measure="level", basis="", value=5.0e6, unit="吨", raw="500万吨"
    )
    _report(
        con,
        "a2",
        1,
        metric="港区冷库容量",
        measure="level",
        basis="",
        value=4.0e6,
        unit="吨",
        raw="约400万吨",
        qualifier="approx",
    )
    # Printed without Arabic digits: compared exactly.
    _report(con, "a1", 2, metric="冷链占比", measure="share", basis="", value=20.0, raw="两成")
    _report(con, "a2", 2, metric="冷链占比", measure="share", basis="", value=30.0, raw="三成")
    series = _series(con)
    storage = series[("港区冷库容量", "level", "2024", "全国", "吨")]
    assert storage["reports"] == 2 and not storage["conflict"]
    assert storage["value"] == 5.0e6  # the exact report wins over the approximate one
    assert series[("冷链占比", "share", "2024", "全国", "%")]["conflict"]


def test_the_same_article_twice_is_one_report() -> None:
    con = _warehouse()
    _article(con, "a1", "2025-01-17")
    _report(con, "a1", 1)
    _report(con, "a1", 2, source="caption", image_position=0)
    assert _series(con)[("gdp", "growth", "2024", "全国", "%")]["reports"] == 1


# --------------------------------------------------------------------------- metric_synonyms.csv


def _sql_dir(tmp_path: Path) -> Path:
    sql_dir = tmp_path / "warehouse"
    shutil.copytree(load.WAREHOUSE_SQL_DIR, sql_dir, ignore=shutil.ignore_patterns("*.duckdb*", "raw"))
    return sql_dir


def test_the_shipped_synonyms_file_reads_and_maps_gdp() -> None:
    mapping = metric_synonyms(load.WAREHOUSE_SQL_DIR / "metric_synonyms.csv")
    assert {mapping["国内生产总值"], mapping["GDP"], mapping["地区生产总值"]} == {"gdp"}
    assert all(key == key.lower() and " " not in key for key in mapping.values())


def test_an_analyst_line_in_the_csv_changes_the_series_at_the_next_migrate(tmp_path: Path) -> None:
    sql_dir = _sql_dir(tmp_path)
    con = _warehouse(sql_dir)
    _article(con, "a1", "2025-01-17")
    _report(
        con, "a1", 1, metric="港口吞吐量", measure="level", basis="", value=1.0e9, unit="吨", raw="10亿吨"
    )
    assert ("港口吞吐量", "level", "2024", "全国", "吨") in _series(con)
    with (sql_dir / "metric_synonyms.csv").open("a", encoding="utf-8") as handle:
        handle.write("港口吞吐量,cargo_throughput\n")
    load.migrate(con, sql_dir)
    assert ("cargo_throughput", "level", "2024", "全国", "吨") in _series(con)


def test_a_broken_synonyms_file_is_refused_with_its_line_and_changes_nothing(tmp_path: Path) -> None:
    sql_dir = _sql_dir(tmp_path)
    con = _warehouse(sql_dir)
    before = con.execute("SELECT * FROM metric_synonyms ORDER BY ALL").fetchall()
    csv_path = sql_dir / "metric_synonyms.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    csv_path.write_text("\n".join([*lines, "GDP,gross_domestic_product"]) + "\n", encoding="utf-8")
    with pytest.raises(SynonymsError, match=rf"metric_synonyms.csv:{len(lines) + 1}: GDP is mapped to both"):
        load.migrate(con, sql_dir)
    assert con.execute("SELECT * FROM metric_synonyms ORDER BY ALL").fetchall() == before
    csv_path.write_text("metric;metric_key\nGDP;gdp\n", encoding="utf-8")
    with pytest.raises(SynonymsError, match="header must be metric,metric_key"):
        load.migrate(con, sql_dir)


# --------------------------------------------------------------------------- v_daily


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with load.connect(db, read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.mark.slow
def test_v_daily_counts_every_版面_the_skipped_ad_pages_and_each_site(sample_warehouse: Path) -> None:
    layouts = [
        parse.parse_layout(
            path.read_text(encoding="utf-8"), f"http://paper.people.com.cn/{path.relative_to(SITE)}"
        )
        for path in sorted(SITE.glob("rmrb/pc/layout/*/*/node_*.html"))
    ]
    issue = dt.date(2025, 9, 3)
    assert {lp.issue_date or date_from_url(lp.url) for lp in layouts} == {issue}
    daily = {
        (day, site): (pages, ads, articles, indicators)
        for day, site, pages, ads, articles, indicators in _rows(
            sample_warehouse,
            "SELECT published_date, site, pages, ad_pages_skipped, articles, indicators FROM v_daily",
        )
    }
    expected_articles = dict(
        _rows(
            sample_warehouse,
            "SELECT published_date || ':' || CASE WHEN url LIKE '%/rmrb/%' THEN 'epaper' ELSE 'portal' END, "
            "count(*) FROM articles GROUP BY ALL",
        )
    )
    pages, ads, articles, _indicators = daily[(issue, "epaper")]
    assert (pages, ads) == (len(layouts), sum(is_ad_page(lp) for lp in layouts))
    assert ads >= 1 and articles == expected_articles[f"{issue}:epaper"]
    # The portal has no 版面; its articles count on their own days.
    portal_days = {day for day, site in daily if site == "portal"}
    assert portal_days == {dt.date(2025, 9, 3), dt.date(2025, 9, 2)}
    for day in portal_days:
        assert daily[(day, "portal")][:3] == (0, 0, expected_articles[f"{day}:portal"])
    total_indicators = _rows(sample_warehouse, "SELECT count(*) FROM indicators")[0][0]
    assert sum(v[3] for v in daily.values()) == total_indicators
    # The old view keeps its columns and sums both sites per date.
    summary = dict(
        (d, (a, p))
        for d, a, p in _rows(sample_warehouse, "SELECT published_date, articles, pages FROM v_daily_summary")
    )
    assert summary[issue] == (
        articles + daily[(issue, "portal")][2],
        len(layouts),
    )


def test_v_daily_dates_and_sites_a_failed_page_by_its_url(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load.ensure_schema(db)
    with load.connect(db) as con:
        for url, kind, resolved in (
            ("http://paper.people.com.cn/rmrb/pc/content/202509/03/content_1.html", "epaper_article", None),
            (
                "http://paper.people.com.cn/rmrb/html/2019-03/01/nw.D110000renmrb_20190301_3-04.htm",
                None,
                None,
            ),
            ("http://finance.people.com.cn/n1/2025/0902/c1004-1.html", "portal_article", "2025-09-03"),
        ):
            con.execute(
                "INSERT INTO failures (url, kind, stage, reason, failure_count, first_failed_at, "
                "last_failed_at, resolved_at) VALUES (?, ?, 'fetch', 'HTTP 500', 1, now(), now(), ?)",
                [url, kind, resolved],
            )
    rows = _rows(db, "SELECT published_date, site, failures, open_failures FROM v_daily ORDER BY ALL")
    assert rows == [
        (dt.date(2019, 3, 1), "epaper", 1, 1),
        (dt.date(2025, 9, 2), "portal", 1, 0),
        (dt.date(2025, 9, 3), "epaper", 1, 1),
    ]
