"""How fast pages are read, and how cheap a re-run of an unchanged day is.

`measure()` returns the numbers (the `make bench` runner calls it); run as a script it prints them
as a table:

    .venv/bin/python benchmarks/parse_speed.py     # pip install -e '.[bench]' to compare trafilatura

- pages_per_s: parse + clean + extract over every article fixture page (tests/fixtures/{real,pages,
  site}), CPU time, median of 5 runs.
- vs_trafilatura: the same pages through trafilatura's `bare_extraction`, runs alternating with
  ours on the same pages; the ratio of our pages/s to its pages/s (> 1: we are faster). None when
  trafilatura is not installed.
- template_share: the share of our time spent choosing the template (`Template.matches`).
- rerun_ratio: wall time of a second run of the sample site's day (--delay 0: 304s, unchanged pages)
  over the first run's, in a fresh warehouse each time, median of 3.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fixture_pages import NOT_PARSEABLE, decoded, fixture_files, url_of  # noqa: E402

from etl.clean import clean_article  # noqa: E402
from etl.extract import extract_article  # noqa: E402
from etl.parse import detect_template, parse_article  # noqa: E402

RUNS = 5
DAY = "2025-09-03"


def article_pages() -> list[tuple[str, str]]:
    """(html, url) of every fixture page a template or the fallback reads as an article."""
    pages = []
    for name in fixture_files():
        if name in NOT_PARSEABLE:
            continue
        html = decoded(name)
        if (detect_template(html) or "").startswith(("epaper_layout", "epaper_issue_index")):
            continue
        pages.append((html, url_of(name)))
    return pages


def _ours(pages: list[tuple[str, str]]) -> None:
    for html, url in pages:
        extract_article(clean_article(parse_article(html, url)))


def _trafilatura() -> Callable[[list[tuple[str, str]]], None] | None:
    try:
        from trafilatura import bare_extraction
    except ImportError:
        return None

    def run(pages: list[tuple[str, str]]) -> None:
        for html, url in pages:
            bare_extraction(html, url=url, with_metadata=True)

    return run


def _cpu(fn: Callable[[list[tuple[str, str]]], None], pages: list[tuple[str, str]]) -> float:
    start = time.process_time()
    fn(pages)
    return time.process_time() - start


def _template_share(pages: list[tuple[str, str]]) -> float:
    """Share of parse + clean + extract CPU time spent in Template.matches."""
    from etl.parse.template import Template

    spent = 0.0
    original = Template.matches.__func__  # type: ignore[attr-defined]

    def timed(cls: type[Template], soup: object) -> bool:
        nonlocal spent
        start = time.process_time()
        try:
            return bool(original(cls, soup))
        finally:
            spent += time.process_time() - start

    Template.matches = classmethod(timed)  # type: ignore[method-assign,assignment]
    try:
        total = _cpu(_ours, pages)
    finally:
        Template.matches = classmethod(original)  # type: ignore[method-assign]
    return spent / total if total else 0.0


@contextlib.contextmanager
def _site() -> Iterator[str]:
    from etl.demo import serve_directory

    with serve_directory(ROOT / "tests" / "fixtures" / "site") as base:
        yield base


def rerun_ratio(repeat: int = 3) -> tuple[float, float, float]:
    """(first run s, re-run s, ratio): wall time of `daily_epaper` over the sample site's day
    (--delay 0) in a fresh warehouse, then again; medians over `repeat` warehouses. The flows run
    in-process on one temporary Prefect server, so its start-up is not in either number."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from prefect.testing.utilities import prefect_test_harness

    from flows.epaper import daily_epaper

    def run(db: Path, base: str) -> float:
        start = time.perf_counter()
        daily_epaper(date=DAY, db=str(db), base_url=base, delay=0)
        return time.perf_counter() - start

    firsts, reruns = [], []
    with prefect_test_harness(server_startup_timeout=300), _site() as base:
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as tmp:
                db = Path(tmp) / "w.duckdb"
                firsts.append(run(db, base))
                reruns.append(run(db, base))
    first, rerun = statistics.median(firsts), statistics.median(reruns)
    return first, rerun, rerun / first


def measure(with_rerun: bool = True) -> dict[str, float | int | None]:
    pages = article_pages()
    _ours(pages)  # warm imports and caches
    theirs = _trafilatura()
    ours_s, theirs_s = [], []
    for _ in range(RUNS):
        ours_s.append(_cpu(_ours, pages))
        if theirs is not None:
            theirs_s.append(_cpu(theirs, pages))
    ours_rate = len(pages) / statistics.median(ours_s)
    result: dict[str, float | int | None] = {
        "pages": len(pages),
        "pages_per_s": round(ours_rate, 1),
        "trafilatura_pages_per_s": None,
        "vs_trafilatura": None,
        "template_share": round(_template_share(pages), 3),
    }
    if theirs_s:
        theirs_rate = len(pages) / statistics.median(theirs_s)
        result["trafilatura_pages_per_s"] = round(theirs_rate, 1)
        result["vs_trafilatura"] = round(ours_rate / theirs_rate, 2)
    if with_rerun:
        first, rerun, ratio = rerun_ratio()
        result.update(first_run_s=round(first, 2), rerun_s=round(rerun, 2), rerun_ratio=round(ratio, 3))
    return result


def main() -> int:
    for key, value in measure(with_rerun="--no-rerun" not in sys.argv).items():
        print(f"{key:<24} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
