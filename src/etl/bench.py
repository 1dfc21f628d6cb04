"""`make bench`: how fast the pure stages and the load are, and how much memory they take.

Speed targets are checked here, never in tests (the machines are shared and noisy). Inputs are the
bundled pages: the real sample pages and the offline sample site, repeated to a realistic day.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from etl import clean, load, parse
from etl.extract import EXTRACTOR_VERSION, extract_article
from etl.fetch import decode_html
from etl.models import Article, ProcessedArticle

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"

# A day of the e-paper has ~100–150 articles; its pages should parse, clean and extract in well
# under the time the polite crawl of one page takes (2 s).
TARGET_MS_PER_ARTICLE = 50.0
TARGET_EXTRACT_MS_PER_1K_CHARS = 5.0


def _article_pages() -> list[tuple[str, str]]:
    pages = []
    for path in sorted(FIXTURES.rglob("*.htm*")):
        if "layout" in path.parts or path.name.startswith("node_") or "nbs." in path.name:
            continue
        text = decode_html(path.read_bytes()).text
        try:
            parse.parse_article(text, f"http://bench.local/{path.name}")
        except parse.ParseError:
            continue
        pages.append((str(path.relative_to(REPO)), text))
    return pages


def _time(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--day-size", type=int, default=150, help="articles in the simulated day for the load")
    args = ap.parse_args(argv)

    pages = _article_pages()
    if not pages:
        print("no article fixtures found", file=sys.stderr)
        return 2
    articles: list[Article] = [
        clean.clean_article(parse.parse_article(t, "http://bench.local/a.html")) for _, t in pages
    ]
    chars = sum(len(a.body_text) for a in articles)

    parse_s = _time(
        lambda: [clean.clean_article(parse.parse_article(t, "http://b/a.html")) for _, t in pages],
        args.repeat,
    )
    extract_s = _time(lambda: [extract_article(a) for a in articles], args.repeat)

    items = [
        ProcessedArticle(article=a, indicators=extract_article(a), fetched_at=dt.datetime.now())
        for a in articles
    ]
    day = [
        ProcessedArticle(
            replace(it.article, url=f"http://bench.local/{i}.html"), it.indicators, [], it.fetched_at
        )
        for i, it in enumerate(items * (args.day_size // len(items) + 1))
    ][: args.day_size]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        load.ensure_schema(db)
        start = time.perf_counter()
        load.load_batch(db, "bench", articles=day, extractor_version=EXTRACTOR_VERSION)
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        load.load_batch(db, "bench", articles=day, extractor_version=EXTRACTOR_VERSION)
        reload_s = time.perf_counter() - start

    per_article_ms = statistics.median(parse_s) / len(pages) * 1000
    extract_per_1k = statistics.median(extract_s) / (chars / 1000) * 1000
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        ("article pages", f"{len(pages)} ({chars} body chars)", ""),
        ("parse + clean", f"{per_article_ms:.2f} ms/article", f"target < {TARGET_MS_PER_ARTICLE:.0f}"),
        ("extract", f"{extract_per_1k:.2f} ms/1k chars", f"target < {TARGET_EXTRACT_MS_PER_1K_CHARS:.0f}"),
        ("load (new)", f"{len(day)} articles in {load_s * 1000:.0f} ms", "one transaction"),
        ("load (unchanged)", f"{len(day)} articles in {reload_s * 1000:.0f} ms", "nothing rewritten"),
        ("peak RSS", f"{rss_mb:.0f} MB", ""),
    ]
    for name, value, note in rows:
        print(f"{name:<18} {value:<36} {note}")
    ok = per_article_ms < TARGET_MS_PER_ARTICLE and extract_per_1k < TARGET_EXTRACT_MS_PER_1K_CHARS
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
