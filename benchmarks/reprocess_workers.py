"""How fast `etl reprocess` reads archived articles again, on one worker and on a local Dask cluster.

The bundled article pages (the sample site's e-paper and portal articles and the real single-page
samples) are archived once under many URLs each, so the warehouse holds over a thousand distinct
archived articles; a first reprocess loads them, then the runs measured read every one again
(parse, clean, extract, compare with the stored rows) at 1 and at 2 workers. The times include
what a user waits for: the Prefect flow run and, with Dask, starting the local cluster.

    .venv/bin/python benchmarks/reprocess_workers.py [--copies N]

`measure()` returns the numbers for `make bench`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"

# Single-page article pages and the URLs they were served under (multi-page ones would need their
# continuation pages replicated too, and add nothing to the measurement).
PAGES = {
    "site/rmrb/pc/content/202509/03/content_30170118.html": (
        "http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170118.html"
    ),
    "site/rmrb/pc/content/202509/03/content_30170119.html": (
        "http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170119.html"
    ),
    "site/rmrb/pc/content/202509/03/content_30170120.html": (
        "http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170120.html"
    ),
    "site/rmrb/pc/content/202509/03/content_30170121.html": (
        "http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170121.html"
    ),
    "site/rmrb/pc/content/202509/03/content_30170122.html": (
        "http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170122.html"
    ),
    "site/n2/2025/0902/c134768-41234567.html": "http://www.people.com.cn/n2/2025/0902/c134768-41234567.html",
    "real/people_finance_n1_2024-05-10_c1004-40232587.html": (
        "http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html"
    ),
    "real/people_health_n1_2024-05-17_c14739-40237861.html": (
        "http://health.people.com.cn/n1/2024/0517/c14739-40237861.html"
    ),
    "real/people_js_n2_2022-02-13_c360307-35131671.gbk.html": (
        "http://js.people.com.cn/n2/2022/0213/c360307-35131671.html"
    ),
    "real/people_politics_n1_2024-04-24_c1001-40223222.html": (
        "http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html"
    ),
}

_CONTENT_ID = re.compile(r"(content_|c\d+-)(\d+)(\.html)$")


def _copy_url(url: str, copy: int) -> str:
    """The page's URL with another content id, so each copy is an article of its own."""
    return _CONTENT_ID.sub(lambda m: f"{m.group(1)}{m.group(2)}{copy:04d}{m.group(3)}", url)


def build_warehouse(root: Path, copies: int) -> Path:
    """A warehouse whose `pages` table lists `copies` URLs for each bundled page, all archived."""
    from etl import load
    from etl.extract import EXTRACTOR_VERSION
    from etl.fetch import RawArchive, decode_html
    from etl.models import FetchResult, FetchStatus
    from etl.urls import classify_url

    db = root / "bench.duckdb"
    archive = RawArchive(root / "raw")
    fetched_at = dt.datetime(2025, 9, 3, tzinfo=dt.UTC)
    fetches = []
    for name, url in PAGES.items():
        raw = (FIXTURES / name).read_bytes()
        sha = archive.put(raw)
        encoding = decode_html(raw).encoding
        for copy in range(copies):
            copy_url = _copy_url(url, copy)
            fetch = FetchResult(
                url=copy_url,
                status=FetchStatus.OK,
                final_url=copy_url,
                http_status=200,
                encoding=encoding,
                sha256=sha,
                size=len(raw),
                fetched_at=fetched_at,
                attempts=1,
            )
            fetches.append((fetch, classify_url(copy_url)))
    with load.connect(db) as con:
        load.migrate(con)
    load.load_batch(db, "bench-setup", fetches=fetches, extractor_version=EXTRACTOR_VERSION)
    return db


def _timed_run(db: Path, workers: int) -> tuple[float, int]:
    from flows.reprocess import reprocess_archive

    start = time.perf_counter()
    summary = reprocess_archive(db=str(db), workers=workers)
    seconds = time.perf_counter() - start
    assert not summary.failures, summary.failures[:3]
    return seconds, summary.changes.articles_reprocessed


def measure(copies: int = 120) -> dict[str, Any]:
    """Pages per second of a reprocess at 1 and 2 workers over `copies` × the bundled pages."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    with tempfile.TemporaryDirectory() as tmp:
        db = build_warehouse(Path(tmp), copies)
        _timed_run(db, 1)  # loads every article once; the runs measured find them stored
        results: dict[str, Any] = {"articles": len(PAGES) * copies, "cpus": os.cpu_count()}
        for workers in (1, 2):
            seconds, articles = _timed_run(db, workers)
            results[f"workers_{workers}_seconds"] = round(seconds, 2)
            results[f"workers_{workers}_pages_per_second"] = round(articles / seconds, 1)
        results["speedup_2_vs_1"] = round(
            results["workers_2_pages_per_second"] / results["workers_1_pages_per_second"], 2
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=120, help="URLs archived per bundled page")
    args = parser.parse_args()
    results = measure(args.copies)
    print(f"reprocess of {results['articles']} archived articles ({results['cpus']} CPUs)")
    print(f"{'workers':>8} {'seconds':>9} {'pages/s':>9}")
    for workers in (1, 2):
        seconds = results[f"workers_{workers}_seconds"]
        rate = results[f"workers_{workers}_pages_per_second"]
        print(f"{workers:>8} {seconds:>9.2f} {rate:>9.1f}")
    print(f"2 workers / 1 worker: {results['speedup_2_vs_1']:.2f}x")


if __name__ == "__main__":
    main()
