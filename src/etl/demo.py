"""`make demo`: the whole pipeline against the bundled sample site, offline.

Serves tests/fixtures/site on 127.0.0.1, runs `etl run` for the sample e-paper day and `etl portal`
for the portal articles its sitemaps list (the real CLI, in subprocesses, as a data engineer would),
then prints what landed in the analyst copy the runs published and an example query, and writes
the analyst report (`etl report`) next to the warehouse.

The demo has a warehouse of its own, warehouse/demo/demo.duckdb (raw pages in warehouse/demo/raw/):
it never reads $ETL_DB or $ETL_ARCHIVE, so sample pages never land in the production warehouse.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "tests" / "fixtures" / "site"
DEMO_DIR = REPO / "warehouse" / "demo"
DEMO_DB = DEMO_DIR / "demo.duckdb"
DEMO_DATE = "2025-09-03"
# The channels whose news sitemaps the sample site carries.
DEMO_PORTAL_CHANNELS = "finance,zj"

EXAMPLE_SQL = """\
-- growth by region, year on year, without reading a sentence
SELECT published_date, region, province, metric, value, unit, period, raw
FROM v_indicators
WHERE measure = 'growth' AND basis = 'yoy'
ORDER BY published_date, province, metric
LIMIT 15"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """A static file server on 127.0.0.1 (a free port) for `root`; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _etl(*args: str, env: dict[str, str]) -> int:
    exe = shutil.which("etl", path=str(Path(sys.executable).parent)) or "etl"
    print(f"\n$ etl {' '.join(args)}", flush=True)
    return subprocess.run([exe, *args], env=env, check=False).returncode


def _print_warehouse(db: Path) -> None:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        print(f"\nWarehouse {db} (analysts open the *_analyst.duckdb copy; see warehouse/README.md):")
        for table in ("articles", "images", "indicators", "pages", "failures", "runs"):
            n = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            print(f"  {table:<11} {n:>5} rows")
        print("\nArticles:")
        for title, page, n_img, n_ind in con.execute(
            "SELECT a.title, coalesce(a.page_name, a.source), "
            "(SELECT count(*) FROM images i WHERE i.article_id = a.article_id), "
            "(SELECT count(*) FROM indicators i WHERE i.article_id = a.article_id) "
            "FROM articles a ORDER BY a.published_date, a.page, a.title"
        ).fetchall():
            print(f"  [{page}] {title}  ({n_img} images, {n_ind} indicators)")
        print(f"\nExample query:\n{EXAMPLE_SQL}\n")
        for row in con.execute(EXAMPLE_SQL).fetchall():
            print("  " + " | ".join("" if v is None else str(v) for v in row))
    finally:
        con.close()


def demo_environment(db: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment of the demo's `etl` commands: the demo warehouse and its own raw-page
    archive, whatever $ETL_DB and $ETL_ARCHIVE say (they name the production ones)."""
    return {**environ, "ETL_DB": str(db), "ETL_ARCHIVE": str(db.parent / "raw")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=str(DEMO_DB), help=f"demo warehouse (default: {DEMO_DB})")
    args = parser.parse_args(argv)
    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    env = demo_environment(db, os.environ)
    with serve_directory(SITE) as base:
        print(f"Serving the sample site {SITE.relative_to(REPO)} at {base}")
        rc_run = _etl("run", "--date", DEMO_DATE, "--base-url", base, "--delay", "0", env=env)
        rc_portal = _etl(
            "portal", "--base-url", base, "--channels", DEMO_PORTAL_CHANNELS, "--delay", "0", env=env
        )
    from etl.config import default_analyst_db

    # What analysts open: the copy each run publishes, not the working file (when no run published
    # one, say because both failed, the working file shows what there is).
    copy = default_analyst_db(db)
    shown = copy if copy.exists() else db
    _print_warehouse(shown)
    report = db.parent / "report.html"
    rc_report = _etl("report", "--db", str(shown), "--out", str(report), env=env)
    if rc_report == 0:
        print(f"\nReport (opens offline in any browser): {report}")
    return max(rc_run, rc_portal, rc_report)


if __name__ == "__main__":
    sys.exit(main())
