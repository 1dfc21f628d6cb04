"""`etl report`: one self-contained HTML page, drawn from a warehouse the real flows loaded from the
sample site and opened in headless Chromium: no console message, every chart drawn as SVG marks."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from etl.report import render_report
from etl.report_records import DayCounts, LatestIndicator, MetricReports, ReportData, SeriesPoint

ETL = str(Path(sys.executable).parent / "etl")
CHARTS = ("indicators-per-day", "top-metrics", "series", "failures-per-day")
# Chromium logs every console message of the page (errors, CSP violations, warnings) this way.
CONSOLE_LINE = re.compile(r":CONSOLE[:(]")


def _etl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ETL, *args], capture_output=True, text=True, env=os.environ.copy(), check=False)


def _chromium_dump(page: Path, profile: Path) -> tuple[str, list[str]]:
    """The DOM Chromium built for `page`, and the console lines it logged."""
    chromium = shutil.which("chromium")
    assert chromium, "chromium is required (.ci/run installs Debian's chromium package)"
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--enable-logging=stderr",
            "--v=0",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, [line for line in done.stderr.splitlines() if CONSOLE_LINE.search(line)]


def test_the_console_check_sees_a_page_that_errs(tmp_path: Path) -> None:
    page = tmp_path / "erring.html"
    page.write_text('<html><body><script>console.error("x"); missing();</script></body></html>')
    _dom, console = _chromium_dump(page, tmp_path / "profile")
    assert len(console) == 2


@pytest.mark.slow
def test_report_of_the_sample_site_opens_offline_with_every_chart_drawn(
    sample_warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    done = _etl("report", "--out", str(out), "--db", str(sample_warehouse))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"report written to {out}"
    text = out.read_text(encoding="utf-8")
    # Self-contained: nothing to fetch, nothing to run.
    assert "<script" not in text.lower()
    assert not re.search(r"""(src|href)=["']?(?!https?://[^"']*\.html)[a-z]+:""", text, re.IGNORECASE)
    assert not re.search(r"<(link|img|iframe|object)\b", text, re.IGNORECASE)

    dom, console = _chromium_dump(out, tmp_path / "profile")
    assert console == []
    tree = lxml_html.fromstring(dom)
    for chart in CHARTS:
        (figure,) = tree.xpath(f'//figure[@data-chart="{chart}"]')
        (svg,) = figure.xpath("./*[local-name()='svg']")
        marks = svg.xpath(".//*[local-name()='g'][contains(@class, 'mark-')]//*[local-name()='path']")
        assert marks, f"{chart}: no marks drawn"
    # The latest indicators link to their articles on the live site (the sample site is a mirror of
    # it: canonical_url) and show their sentences.
    links = tree.xpath("//table//a/@href")
    live = ("http://paper.people.com.cn/", "http://www.people.com.cn/")
    assert links and all(link.startswith(live) for link in links)
    sentences = [td.text_content() for td in tree.xpath("//td[@class='sentence']")]
    assert sentences and all(s.strip() for s in sentences)


def test_unknown_metric_key_is_a_usage_error(sample_warehouse: Path, tmp_path: Path) -> None:
    done = _etl(
        "report", "--out", str(tmp_path / "r.html"), "--metric", "no_such_key", "--db", str(sample_warehouse)
    )
    assert done.returncode == 2 and done.stderr.startswith("etl: no series has metric_key 'no_such_key'")
    assert not (tmp_path / "r.html").exists()


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'"


def test_crawled_text_is_escaped_and_only_http_urls_become_links() -> None:
    day = dt.date(2025, 9, 3)
    data = ReportData(
        warehouse="w.duckdb",
        generated_at=dt.datetime(2025, 9, 3, 8, 0),
        since=None,
        metric_key=HOSTILE,
        days=(DayCounts(day, "epaper", 1, 2, 0),),
        top_metrics=(MetricReports(HOSTILE, 2, 1),),
        series=(
            SeriesPoint(
                "level", "", "元", HOSTILE, "2025", dt.date(2025, 12, 31), 1.0, 1.0, 2.0, 2, day, True
            ),
        ),
        latest=(
            LatestIndicator(
                day,
                HOSTILE,
                "javascript:alert(3)",
                HOSTILE,
                "level",
                1.0,
                "元",
                HOSTILE,
                "2025",
                "上海",
                HOSTILE,
            ),
            LatestIndicator(
                day,
                "标题",
                'http://paper.people.com.cn/a"onmouseover="x',
                "m",
                "level",
                1.0,
                "元",
                "1元",
                "2025",
                "上海",
                "句子",
            ),
        ),
    )
    page = render_report(data)
    assert "<script" not in page and "<img" not in page and "javascript:" not in page
    tree = lxml_html.fromstring(page)
    assert tree.xpath("//a/@href") == ['http://paper.people.com.cn/a"onmouseover="x']
    assert not tree.xpath("//@onmouseover | //@onerror")
    assert HOSTILE in tree.text_content()  # shown as text, not dropped
