"""`make bench`: where the time and memory of a run go, each line against its target.

    .venv/bin/python benchmarks/run.py [--quick] [--only load]

Prints one table and writes benchmarks/results/latest.json. Every ratio is the median of runs
alternated within this process, so a machine busy with something else slows both sides alike; the
absolute numbers are only there to explain the ratios. Lines measured by another benchmark module
(benchmarks/parse_speed.py, benchmarks/reprocess_workers.py) say "not measured" when the module is
not there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import itertools
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "tests" / "fixtures" / "site"
DAY = dt.date(2025, 9, 3)
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
ETL = str(Path(sys.executable).parent / "etl")

# Targets (issue "Speed where it counts").
TARGET_RUN_VS_REQUESTS = 5.0  # `etl run --delay 0` at most this many times a bare requests loop
TARGET_RERUN_RATIO = 0.10  # a re-run of an unchanged day: nothing parsed, extracted or rewritten
TARGET_PARSE_VS_TRAFILATURA = 1.5  # parse + clean + extract pages/s vs trafilatura's bare_extraction
TARGET_PARSE_VS_FUNDUS = 0.3  # the same vs fundus's People parser
TARGET_LOAD_VS_ARROW = 0.6  # indicator rows/s through the load path vs a raw Arrow insert
TARGET_BATCH_GROWTH = 1.25  # a batch's load time at 64k stored articles vs 1k
TARGET_RSS_GROWTH = 1.1  # peak RSS processing 8k pages vs 1k
ARTICLES_PER_LAYOUT = 15


@dataclass
class Line:
    name: str
    value: str
    target: str
    met: bool | None  # None: informational, or not measured
    limit: str = ""  # what limits it, when the target is missed
    data: dict[str, Any] = field(default_factory=dict)


def _median_ratio(pairs: list[tuple[float, float]]) -> float:
    return statistics.median(a / b for a, b in pairs)


# --------------------------------------------------------------------------- a generated day


def article_texts() -> list[str]:
    """The fixture day's article pages that a template reads (one of them is an empty 广告 page)."""
    from etl import parse

    texts = []
    for page in sorted((SITE / "rmrb/pc/content/202509/03").glob("content_*.html")):
        text = page.read_text("utf-8")
        try:
            parse.parse_article(text, "http://b/a.html")
        except parse.ParseError:
            continue
        texts.append(text)
    return texts


def generate_day(root: Path, articles: int) -> list[str]:
    """An e-paper day of `articles` articles under `root`, built from the fixture site's pages: 版面
    pages of ARTICLES_PER_LAYOUT entries each, every one listing all 版面 in its page switcher, and
    article pages copied from the fixture day with new content ids. Returns the site's paths in the
    order a crawl requests them (版面 pages, then articles)."""
    src_layout = (SITE / "rmrb/pc/layout/202509/03/node_01.html").read_text("utf-8")
    # The fixture articles a template reads (the day's 广告 page links none).
    bodies = article_texts()
    layouts = (articles + ARTICLES_PER_LAYOUT - 1) // ARTICLES_PER_LAYOUT
    layout_dir = root / "rmrb/pc/layout/202509/03"
    out_content = root / "rmrb/pc/content/202509/03"
    layout_dir.mkdir(parents=True)
    out_content.mkdir(parents=True)
    switcher = "".join(
        f'<div class="swiper-slide"><a id="pageLink" href="node_{n:02d}.html">{n:02d}版：要闻</a></div>\n'
        for n in range(1, layouts + 1)
    )
    paths: list[str] = []
    article_paths: list[str] = []
    for n in range(1, layouts + 1):
        ids = range(
            40_000_000 + (n - 1) * ARTICLES_PER_LAYOUT, 40_000_000 + min(n * ARTICLES_PER_LAYOUT, articles)
        )
        entries = "".join(
            f'<li><span>·</span><a href="../../../content/202509/03/content_{i}.html"> 文章{i} </a></li>\n'
            for i in ids
        )
        page = re.sub(
            r'(<div class="swiper-container">).*?(</div>\s*<!--)', rf"\1{switcher}\2", src_layout, flags=re.S
        )
        page = re.sub(r'(<ul class="news-list">).*?(</ul>)', rf"\1{entries}\2", page, flags=re.S)
        page = re.sub(r'(<MAP NAME="PagePicMap">).*?(</MAP>)', r"\1\2", page, flags=re.S)
        page = page.replace("01版：要闻", f"{n:02d}版：要闻")
        (layout_dir / f"node_{n:02d}.html").write_text(page, "utf-8")
        paths.append(f"/rmrb/pc/layout/202509/03/node_{n:02d}.html")
        for i in ids:
            (out_content / f"content_{i}.html").write_text(bodies[i % len(bodies)], "utf-8")
            article_paths.append(f"/rmrb/pc/content/202509/03/content_{i}.html")
    return paths + article_paths


@contextmanager
def served_day(articles: int) -> Iterator[tuple[str, list[str]]]:
    from etl.demo import serve_directory

    with tempfile.TemporaryDirectory() as tmp:
        paths = generate_day(Path(tmp), articles)
        with serve_directory(Path(tmp)) as base:
            yield base, [base + p for p in paths]


def _requests_loop(urls: list[str]) -> float:
    import requests

    start = time.perf_counter()
    with requests.Session() as session:
        for url in urls:
            response = session.get(url, timeout=30)
            response.content  # noqa: B018  (read the body, as the crawler does)
    return time.perf_counter() - start


def _etl_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "ETL_DB", "ETL_ARCHIVE")}
    env["PREFECT_HOME"] = str(home / "prefect")
    env["PREFECT_PROFILES_PATH"] = str(home / "prefect" / "profiles.toml")
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    # A temporary server (--prefect) starts slowly on a busy machine.
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "180"
    return env


def _etl_run(base: str, db: Path, env: dict[str, str], *extra: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [ETL, "run", "--date", DAY.isoformat(), "--db", str(db), "--base-url", base, "--delay", "0", *extra],
        env={**env, "ETL_ARCHIVE": str(db.parent / "archive")},
        capture_output=True,
        text=True,
        timeout=900,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"etl run exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return seconds, done.stdout.strip().splitlines()[-1]


def _counter(summary: str, name: str) -> int:
    match = re.search(rf"(\d+) {name}", summary)
    return int(match.group(1)) if match else -1


def bench_crawl(rounds: int, sizes: tuple[int, ...], prefect_rounds: int) -> list[Line]:
    lines: list[Line] = []
    for size in sizes:
        with served_day(size) as (base, urls), tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            env = _etl_env(home)
            pairs: list[tuple[float, float]] = []
            reruns: list[tuple[float, float]] = []
            redownloads: list[int] = []
            # The larger day only shows how the ratio grows: fewer rounds keep `make bench` short.
            for r in range(rounds if size == sizes[0] else min(rounds, 2)):
                loop_s = _requests_loop(urls)
                db = home / f"r{r}" / "w.duckdb"
                db.parent.mkdir()
                run_s, summary = _etl_run(base, db, env)
                if _counter(summary, "articles loaded") != size:
                    raise RuntimeError(f"the generated day of {size} articles loaded as: {summary}")
                pairs.append((run_s, loop_s))
                if size == sizes[0]:
                    again_s, again = _etl_run(base, db, env)
                    reruns.append((again_s, run_s))
                    redownloads.append(_counter(again, "pages fetched"))
            ratio = _median_ratio(pairs)
            lines.append(
                Line(
                    f"etl run {size} articles vs requests",
                    f"{ratio:.1f}x ({statistics.median(p[0] for p in pairs):.2f} s vs "
                    f"{statistics.median(p[1] for p in pairs):.2f} s for {len(urls)} pages)",
                    f"<= {TARGET_RUN_VS_REQUESTS:g}x",
                    ratio <= TARGET_RUN_VS_REQUESTS,
                    ""
                    if ratio <= TARGET_RUN_VS_REQUESTS
                    else "interpreter and import start-up, per-page "
                    "parse/clean/extract and one warehouse transaction per 20 pages",
                    {
                        "ratio": ratio,
                        "etl_s": [p[0] for p in pairs],
                        "requests_s": [p[1] for p in pairs],
                        "pages": len(urls),
                    },
                )
            )
            if reruns:
                rerun_ratio = _median_ratio(reruns)
                ok = rerun_ratio <= TARGET_RERUN_RATIO and max(redownloads) == 0
                lines.append(
                    Line(
                        f"re-run of the {size}-article day",
                        f"{rerun_ratio:.2f}x the first run, {max(redownloads)} re-downloads",
                        f"<= {TARGET_RERUN_RATIO:g}x, 0 re-downloads",
                        ok,
                        ""
                        if ok
                        else "unchanged pages are no longer parsed or extracted; what is left is "
                        "Prefect's flow and task bookkeeping, the conditional GETs and one warehouse "
                        "connection per batch",
                        {"ratio": rerun_ratio, "redownloads": redownloads},
                    )
                )
            if size == sizes[0] and prefect_rounds:
                shares: list[float] = []
                try:
                    for r in range(prefect_rounds):
                        db_lean = home / f"p{r}" / "lean.duckdb"
                        db_flow = home / f"p{r}" / "flow" / "w.duckdb"
                        db_flow.parent.mkdir(parents=True)
                        lean_s, _ = _etl_run(base, db_lean, env)
                        flow_s, _ = _etl_run(base, db_flow, env, "--prefect")
                        shares.append(max(0.0, flow_s - lean_s) / flow_s)
                except RuntimeError as exc:  # the temporary server did not come up: say so, go on
                    lines.append(
                        Line(
                            "Prefect's share of `etl run --prefect`",
                            "not measured",
                            "",
                            None,
                            " ".join(str(exc).split())[-200:],
                        )
                    )
                else:
                    share = statistics.median(shares)
                    lines.append(
                        Line(
                            "Prefect's share of `etl run --prefect`",
                            f"{share:.0%} of the wall time ({size} articles, temporary server)",
                            "paid only with --prefect or PREFECT_API_URL",
                            None,
                            data={"share": shares},
                        )
                    )
    return lines


# --------------------------------------------------------------------------- the load path


def _day_items(count: int, indicators_per_article: int, prefix: str = "a") -> list[Any]:
    """`count` distinct processed articles, each with `indicators_per_article` distinct indicators,
    made from the fixture site's first article."""
    from etl import clean, parse
    from etl.extract import extract_article
    from etl.fetch import decode_html
    from etl.models import ProcessedArticle

    page = SITE / "rmrb/pc/content/202509/03/content_30170118.html"
    article = clean.clean_article(parse.parse_article(decode_html(page.read_bytes()).text, "http://b/a.html"))
    found = extract_article(article)
    base = found[0]
    indicators = (
        [
            replace(base, char_start=base.char_start + 10_000 * k, char_end=base.char_end + 10_000 * k)
            for k in range(indicators_per_article)
        ]
        if indicators_per_article
        else found
    )
    now = dt.datetime.now(dt.UTC)
    return [
        ProcessedArticle(
            replace(
                article, url=f"http://paper.people.com.cn/rmrb/pc/content/202509/03/content_{prefix}{i}.html"
            ),
            indicators=indicators,
            fetched_at=now,
        )
        for i in range(count)
    ]


def _raw_arrow_indicators(con: Any, items: list[Any], version: str) -> Any:
    """The batch's indicator rows as an Arrow table typed like `indicators`, built outside the timing."""
    from etl.load import rows

    built = rows.rows_of_articles(items, "bench", version, dt.datetime.now())[2]
    return rows.staging(con, "indicators", built)


def bench_load(rounds: int, sizes: tuple[int, ...]) -> list[Line]:
    import duckdb

    from etl import load
    from etl.extract import EXTRACTOR_VERSION

    lines: list[Line] = []
    per_article = 20
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "empty.duckdb"
        load.ensure_schema(template)
        for size in sizes:
            items = _day_items(size // per_article, per_article, prefix=f"s{size}_")
            with duckdb.connect(str(template), read_only=True) as con:
                raw_table = _raw_arrow_indicators(con, items, EXTRACTOR_VERSION)
            pairs: list[tuple[float, float]] = []
            for r in range(rounds):
                db_load = Path(tmp) / f"load{size}_{r}.duckdb"
                db_raw = Path(tmp) / f"raw{size}_{r}.duckdb"
                shutil.copy(template, db_load)
                shutil.copy(template, db_raw)
                start = time.perf_counter()
                load.load_batch(db_load, "bench", articles=items, extractor_version=EXTRACTOR_VERSION)
                load_s = time.perf_counter() - start
                # Both sides open the warehouse, write and commit: the load opens it once a batch.
                start = time.perf_counter()
                con = duckdb.connect(str(db_raw))
                try:
                    con.register("raw_indicators", raw_table)
                    con.execute("INSERT INTO indicators BY NAME SELECT * FROM raw_indicators")
                finally:
                    con.close()
                raw_s = time.perf_counter() - start
                pairs.append((raw_s, load_s))  # rows/s ratio = (n/load_s) / (n/raw_s) = raw_s / load_s
            ratio = _median_ratio(pairs)
            ok = ratio >= TARGET_LOAD_VS_ARROW
            lines.append(
                Line(
                    f"load {size // 1000}k indicator rows vs raw Arrow",
                    f"{ratio:.2f}x ({size / statistics.median(p[1] for p in pairs):,.0f} rows/s vs "
                    f"{size / statistics.median(p[0] for p in pairs):,.0f})",
                    f">= {TARGET_LOAD_VS_ARROW:g}x",
                    ok,
                    ""
                    if ok
                    else "what the raw insert does not do, measured (cProfile, phase timings): at 1k "
                    "writing the article rows, whose table keeps two key indexes (insert, commit and "
                    "the checkpoint on close: 263 ms vs the raw 171 ms); at 64k Python work per row, "
                    "ids and content hashes 0.77 s (sha256 of 64k indicator keys, JSON of 3,200 "
                    "articles) and Arrow columns from the column maps 0.41 s, while DuckDB's inserts "
                    "and commit take about the raw insert's 0.94 s",
                    {"ratio": ratio, "raw_s": [p[0] for p in pairs], "load_s": [p[1] for p in pairs]},
                )
            )
        lines.append(_batch_growth(Path(tmp), template, rounds))
    return lines


def _filled_warehouse(path: Path, template: Path, articles: int) -> None:
    """A warehouse holding `articles` articles with 5 indicators each, written the way the load
    writes them (its rows), in one raw insert per table."""
    import duckdb

    from etl.extract import EXTRACTOR_VERSION
    from etl.load import rows

    shutil.copy(template, path)
    con = duckdb.connect(str(path))
    try:
        for start in range(0, articles, 8000):
            items = _day_items(min(8000, articles - start), 5, prefix=f"w{start}_")
            a, _i, ind = rows.rows_of_articles(items, "fill", EXTRACTOR_VERSION, dt.datetime.now())
            con.register("fill_a", rows.staging(con, "articles", a))
            con.register("fill_i", rows.staging(con, "indicators", ind))
            con.execute("INSERT INTO articles BY NAME SELECT * FROM fill_a")
            con.execute("INSERT INTO indicators BY NAME SELECT * FROM fill_i")
            con.unregister("fill_a")
            con.unregister("fill_i")
    finally:
        con.close()


def _batch_growth(tmp: Path, template: Path, rounds: int) -> Line:
    from etl import load
    from etl.extract import EXTRACTOR_VERSION

    small, large = tmp / "w1k.duckdb", tmp / "w64k.duckdb"
    _filled_warehouse(small, template, 1_000)
    _filled_warehouse(large, template, 64_000)
    pairs: list[tuple[float, float]] = []
    for r in range(max(rounds, 5)):
        batch = _day_items(20, 10, prefix=f"b{r}_")
        times = []
        for db in (large, small):
            start = time.perf_counter()
            load.load_batch(db, "bench", articles=batch, extractor_version=EXTRACTOR_VERSION)
            times.append(time.perf_counter() - start)
        pairs.append((times[0], times[1]))
    ratio = _median_ratio(pairs)
    ok = ratio <= TARGET_BATCH_GROWTH
    return Line(
        "20-article batch at 64k vs 1k articles",
        f"{ratio:.2f}x ({statistics.median(p[0] for p in pairs) * 1000:.0f} ms vs "
        f"{statistics.median(p[1] for p in pairs) * 1000:.0f} ms)",
        f"<= {TARGET_BATCH_GROWTH:g}x",
        ok,
        ""
        if ok
        else "DuckDB keeping the primary-key index of indicators (320k keys at 64k articles): 200 rows "
        "into indicators (open, insert, close) 167 ms at 64k vs 96 ms at 1k, into a copy without the "
        "key 87 vs 88 ms; the load's own lookups 8 vs 7 ms, and a batch of new articles deletes nothing",
        {"ratio": ratio, "at_64k_s": [p[0] for p in pairs], "at_1k_s": [p[1] for p in pairs]},
    )


# --------------------------------------------------------------------------- memory


def rss_child(pages: int) -> None:
    """Load `pages` article pages into a fresh warehouse in batches of 20, as a run does, and print
    the process's peak RSS in KiB. The fixture day's articles are parsed, cleaned and extracted
    once and loaded under new URLs: what could grow with the pages is what the run keeps and what
    the load reads back from the growing warehouse."""
    from etl import load
    from etl.extract import EXTRACTOR_VERSION

    items = _day_items(pages, 0, prefix="rss")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "rss.duckdb"
        load.ensure_schema(db)
        for start in range(0, pages, 20):
            load.load_batch(
                db, "rss", articles=items[start : start + 20], extractor_version=EXTRACTOR_VERSION
            )
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _child_rss(pages: int) -> int:
    done = subprocess.run(
        [sys.executable, __file__, "--rss-child", str(pages)],
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    return int(done.stdout.strip().splitlines()[-1])


def bench_rss(rounds: int, small: int, large: int) -> Line:
    pairs = []
    for _ in range(rounds):
        pairs.append((float(_child_rss(large)), float(_child_rss(small))))
    ratio = _median_ratio(pairs)
    ok = ratio <= TARGET_RSS_GROWTH
    return Line(
        f"peak RSS {large:,} vs {small:,} pages",
        f"{ratio:.2f}x ({statistics.median(p[0] for p in pairs) / 1024:.0f} MB vs "
        f"{statistics.median(p[1] for p in pairs) / 1024:.0f} MB)",
        f"<= {TARGET_RSS_GROWTH:g}x",
        ok,
        "" if ok else "DuckDB's buffer pool and the load's lookups grow with the stored tables",
        {"ratio": ratio, "large_kib": [p[0] for p in pairs], "small_kib": [p[1] for p in pairs]},
    )


# --------------------------------------------------------------------------- other benchmark modules


def from_module(module: str, describe: Callable[[dict[str, Any]], list[Line]], name: str) -> list[Line]:
    """The lines of another benchmark module's `measure()`, or one saying it is not there."""
    try:
        measured = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name not in (module, module.split(".")[0]):
            raise
        return [Line(name, f"not measured: {module} missing", "", None)]
    return describe(measured.measure())


def _describe_parse(result: dict[str, Any]) -> list[Line]:
    ratio = result.get("vs_trafilatura")
    lines = [
        Line(
            "parse + clean + extract vs trafilatura",
            f"{ratio:.2f}x ({result['pages_per_s']:g} vs {result['trafilatura_pages_per_s']:g} pages/s, "
            f"{result['pages']} pages)"
            if ratio is not None
            else "not measured: trafilatura is not installed (pip install -e '.[bench]')",
            f">= {TARGET_PARSE_VS_TRAFILATURA:g}x",
            None if ratio is None else ratio >= TARGET_PARSE_VS_TRAFILATURA,
            "building the BeautifulSoup tree (about a third of our time, most of it creating bs4's Tags "
            "from lxml's parse events; lxml's own parse is a twentieth), the extractor (under a third) and "
            "the templates (about a quarter, selector matching ~7 %)",
            data=dict(result),
        ),
        Line(
            "parse + clean + extract vs fundus",
            "not measured: fundus pins lxml and other packages at versions that conflict with ours",
            f">= {TARGET_PARSE_VS_FUNDUS:g}x",
            None,
        ),
    ]
    if result.get("rerun_ratio") is not None:
        ok = result["rerun_ratio"] <= TARGET_RERUN_RATIO
        lines.append(
            Line(
                "re-run of the fixture day (in-process flow runs)",
                f"{result['rerun_ratio']:.2f}x the first run "
                f"({result['rerun_s']:g} s vs {result['first_run_s']:g} s)",
                f"<= {TARGET_RERUN_RATIO:g}x",
                ok,
                ""
                if ok
                else "Prefect's flow and task bookkeeping and the warehouse connections of a run, "
                "fixed costs that dominate a 5-article day",
                data={"ratio": result["rerun_ratio"]},
            )
        )
    return lines


def _describe_reprocess(result: dict[str, Any]) -> list[Line]:
    one, two = result["workers_1_pages_per_second"], result["workers_2_pages_per_second"]
    faster = two > one
    return [
        Line(
            "reprocess pages/s, 1 and 2 Dask workers",
            f"{one:g} and {two:g} pages/s ({result['speedup_2_vs_1']:.2f}x, {result['articles']} articles, "
            f"{result['cpus']} CPUs)",
            "2 workers faster than 1",
            faster,
            ""
            if faster
            else "starting the local cluster and importing in each worker outweighs the work "
            "on a range this small; --workers pays off on months or years of pages",
            data=dict(result),
        )
    ]


def bench_stages(repeat: int) -> Line:
    """Parse + clean + extract pages/s over the fixture day's article pages (no network, no load)."""
    from etl import clean, parse
    from etl.extract import extract_article

    texts = article_texts()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            extract_article(clean.clean_article(parse.parse_article(text, "http://b/a.html")))
        samples.append((time.perf_counter() - start) / len(texts))
    rate = 1 / statistics.median(samples)
    return Line(
        "parse + clean + extract", f"{rate:,.0f} pages/s (fixture day)", "", None, data={"pages_s": rate}
    )


def bench_extract_scaling(quick: bool) -> Line:
    """Extraction time as figure-dense text grows tenfold (etl.bench): linear is ~10x."""
    from etl import bench

    sizes = bench.SCALING_SIZES[:2] if quick else bench.SCALING_SIZES
    measured = bench.scaling(sizes)
    ratios = [later[2] / earlier[2] for earlier, later in itertools.pairwise(measured)]
    worst = max(ratios)
    ok = worst < bench.TARGET_SCALING_RATIO
    return Line(
        "extract time, text x10",
        f"x{worst:.1f} at worst ({', '.join(f'{c // 1000}k: {t:.2f} s' for c, _f, t in measured)})",
        f"< x{bench.TARGET_SCALING_RATIO:g}",
        ok,
        "" if ok else "a scan over the text before each figure",
        {"ratios": ratios},
    )


# --------------------------------------------------------------------------- the table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer rounds and smaller sizes (a smoke run)")
    ap.add_argument("--rss-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument(
        "--only",
        choices=("load",),
        help="measure one part: `load` is the load path's lines (rows/s vs raw Arrow, batch growth, "
        "peak RSS); the results file is not written",
    )
    ap.add_argument("--output", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    if args.rss_child:
        rss_child(args.rss_child)
        return 0
    sys.path.insert(0, str(ROOT))  # benchmarks.* modules of this checkout
    rounds = 1 if args.quick else 3
    started = time.perf_counter()
    lines: list[Line] = []
    if args.only is None:
        lines.append(bench_stages(3 if args.quick else 20))
        lines += from_module("benchmarks.parse_speed", _describe_parse, "parse speed, trafilatura ratio")
        lines.append(bench_extract_scaling(args.quick))
        lines += bench_crawl(
            rounds, (30,) if args.quick else (150, 600), prefect_rounds=0 if args.quick else 2
        )
    lines += bench_load(rounds, (1_000,) if args.quick else (1_000, 8_000, 64_000))
    if args.only is None:
        lines += from_module(
            "benchmarks.reprocess_workers", _describe_reprocess, "reprocess pages/s, 1 and 2 workers"
        )
    lines.append(
        bench_rss(1 if args.quick else 2, 100 if args.quick else 1_000, 400 if args.quick else 8_000)
    )

    width = max(len(line.name) for line in lines)
    for line in lines:
        mark = {True: "met", False: "MISSED", None: ""}[line.met]
        target = f"target {line.target}" if line.target else ""
        print(f"{line.name:<{width}}  {line.value:<58} {target:<32} {mark}")
        if line.met is False and line.limit:
            print(f"{'':<{width}}    limited by: {line.limit}")
    elapsed = time.perf_counter() - started
    print(f"({elapsed:.0f} s)")
    if args.only is not None:
        return 0 if all(x.met is not False for x in lines) else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "system": platform.platform(),
        },
        "quick": args.quick,
        "seconds": round(elapsed, 1),
        "lines": [
            {
                "name": x.name,
                "value": x.value,
                "target": x.target,
                "met": x.met,
                "limit": x.limit,
                "data": x.data,
            }
            for x in lines
        ],
    }
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0 if all(x.met is not False for x in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
