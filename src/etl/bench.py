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
from etl.extract.extractor import extract
from etl.fetch import decode_html
from etl.models import Article, ProcessedArticle

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"

# A day of the e-paper has ~100–150 articles; its pages should parse, clean and extract in well
# under the time the polite crawl of one page takes (2 s).
TARGET_MS_PER_ARTICLE = 50.0
TARGET_EXTRACT_MS_PER_1K_CHARS = 5.0
# Extraction grows linearly with its text: 10x the text takes ~10x the time, where a scan over
# everything before each figure would take ~100x. Measured on one paragraph of figure-dense text of
# each size, through the extractor without its article caps (etl.extract.limits).
SCALING_SIZES = (10_000, 100_000, 1_000_000)
TARGET_SCALING_RATIO = 25.0
_DENSE_CLAUSES = (
    "今年前{m}个月，全市规模以上工业增加值同比增长{p}%",
    "其中，出口{a}亿元、进口{b}亿元、转口{c}亿元",
    "上海港集装箱吞吐量{a}万标箱，比上年增加{b}万标箱",
    "{m}月份，接待游客约{a}万人次，旅游收入超{c}亿元",
    "目前，全省累计建成{a}个5G基站、{b}个充电桩",
)


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


def figure_dense_text(chars: int) -> str:
    """One paragraph of report prose, a figure every ten or so characters, with periods, places and
    、 lists, at least `chars` long."""
    sentences: list[str] = []
    length = i = 0
    while length < chars:
        clause = _DENSE_CLAUSES[i % len(_DENSE_CLAUSES)]
        values = {"m": i % 11 + 1, "p": f"{i % 90 / 10 + 1:.1f}", "a": i % 9000 + 100, "b": i % 700 + 3}
        sentence = clause.format(**values, c=i % 50 + 1) + "。"
        sentences.append(sentence)
        length += len(sentence)
        i += 1
    return "".join(sentences)


def scaling(sizes: tuple[int, ...]) -> list[tuple[int, int, float]]:
    """(characters, figures, seconds) of extracting figure-dense text of each size."""
    published = dt.date(2025, 9, 3)
    rows = []
    for size in sizes:
        text = figure_dense_text(size)
        samples: list[float] = []
        figures = 0
        for _ in range(3 if size <= 100_000 else 1):  # the short runs are noisy: keep the best of three
            start = time.perf_counter()
            figures = len(
                extract(
                    text, published, region_hint=None, source="body", image_position=None, max_figures=None
                )
            )
            samples.append(time.perf_counter() - start)
        rows.append((len(text), figures, min(samples)))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--day-size", type=int, default=150, help="articles in the simulated day for the load")
    ap.add_argument(
        "--scaling-max", type=int, default=SCALING_SIZES[-1], help="largest text of the scaling run (chars)"
    )
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
            replace(it.article, url=f"http://bench.local/{i}.html"), it.indicators, it.fetched_at
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
    previous: tuple[int, int, float] | None = None
    ratios: list[float] = []
    for size in scaling(tuple(s for s in SCALING_SIZES if s <= args.scaling_max)):
        chars_n, figures, seconds = size
        note = ""
        if previous is not None:
            ratios.append(seconds / previous[2])
            growth = f"x{ratios[-1]:.1f} for x{chars_n / previous[0]:.0f} text"
            note = f"{growth} (target < {TARGET_SCALING_RATIO:.0f}; linear ~10)"
        rows.append((f"extract {chars_n // 1000}k", f"{figures} figures in {seconds:.2f} s", note))
        previous = size
    for name, value, note in rows:
        print(f"{name:<18} {value:<36} {note}")
    ok = per_article_ms < TARGET_MS_PER_ARTICLE and extract_per_1k < TARGET_EXTRACT_MS_PER_1K_CHARS
    ok = ok and all(ratio < TARGET_SCALING_RATIO for ratio in ratios)
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
