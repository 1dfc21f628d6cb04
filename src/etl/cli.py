"""`etl` command line. Other tools depend on these command and option names: keep them stable.

Exit codes: 0 every page loaded; 1 some pages failed (one line per failed URL on stderr, the rest
loaded; also when the run deadline left pages unfetched); 2 bad usage; 3 the warehouse is held by
another run; 4 infrastructure trouble (disk full, a warehouse or raw-page archive that cannot be
written); 130 / 143 the run was stopped by SIGINT / SIGTERM (128 + the signal's number, as a shell
reports a process the signal killed). Every outcome but 0 ends with one line on stderr saying why.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from etl.discover import DEFAULT_EPAPER_BASE

if TYPE_CHECKING:
    from flows.common import RunSummary

EXIT_FAILURES = 1
EXIT_BUSY = 3
EXIT_INFRASTRUCTURE = 4


def _prepare_prefect_env() -> None:
    # Ephemeral mode prints a spurious "database is locked" traceback when analytics are on, and
    # our own modules log through the standard logging module: forward them to Prefect's handlers.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "etl")
    # The fetcher logs from its worker threads, outside any flow-run context; those lines still
    # reach the console, they just are not sent to the API.
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")


db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    help="DuckDB file (default: $ETL_DB, else warehouse/peoples_daily.duckdb).",
)
delay_option = click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=2.0,
    show_default=True,
    help="Minimum seconds between requests to one host (a robots.txt Crawl-delay wins when longer).",
)
refresh_option = click.option(
    "--refresh", is_flag=True, help="Download every page again, ignoring ETag/Last-Modified."
)
run_deadline_option = click.option(
    "--run-deadline",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="SECONDS",
    help="Stop fetching after this long; pages left are failures for the next run "
    "(default: $ETL_RUN_DEADLINE, else 21600).",
)
lock_wait_option = click.option(
    "--lock-wait",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Seconds to wait for another run to release the warehouse.",
)


@click.group()
@click.version_option(package_name="peoples-daily-etl")
def main() -> None:
    """People's Daily indicator ETL: e-paper and portal pages into DuckDB."""


def _report(summary: RunSummary) -> int:
    c = summary.counters()
    click.echo(
        f"{summary.flow} {summary.status}: {c['articles_loaded']} articles loaded, "
        f"{c['articles_unchanged']} unchanged, {c['images_loaded']} images, "
        f"{c['indicators_loaded']} indicators, {c['pages_fetched']} pages fetched, "
        f"{c['pages_not_modified']} not modified, {c['failures']} failures"
    )
    for url, stage, reason in summary.failures:
        click.echo(f"FAILED {url} [{stage}] {reason}", err=True)
    if summary.message:
        click.echo(f"etl: {summary.message}", err=True)
    if summary.infrastructure_trouble:
        return EXIT_INFRASTRUCTURE
    return EXIT_FAILURES if summary.failures else 0


def _run_flow(call: object) -> None:
    from etl.load import WarehouseBusy
    from etl.outcome import InfrastructureError, RunInterrupted

    try:
        summary = call()  # type: ignore[operator]
    except WarehouseBusy as exc:
        click.echo(f"etl: {exc}", err=True)
        sys.exit(EXIT_BUSY)
    except InfrastructureError as exc:
        click.echo(f"etl: {exc}", err=True)
        sys.exit(EXIT_INFRASTRUCTURE)
    except RunInterrupted as exc:
        click.echo(f"etl: {exc}", err=True)
        sys.exit(exc.exit_status)
    sys.exit(_report(summary))


@main.command()
@click.option(
    "--date",
    "date_",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Issue date YYYY-MM-DD (default: today in Asia/Shanghai).",
)
@db_option
@click.option(
    "--base-url",
    default=DEFAULT_EPAPER_BASE,
    show_default=True,
    help="Scheme and host of the e-paper, for mirrors and saved copies.",
)
@delay_option
@refresh_option
@lock_wait_option
@run_deadline_option
def run(
    date_: dt.datetime | None,
    db: str | None,
    base_url: str,
    delay: float,
    refresh: bool,
    lock_wait: float,
    run_deadline: float | None,
) -> None:
    """Crawl one day of the 人民日报 e-paper into the warehouse."""
    _prepare_prefect_env()
    from flows.epaper import daily_epaper

    _run_flow(
        lambda: daily_epaper(
            date=date_.date().isoformat() if date_ else None,
            db=db,
            base_url=base_url,
            delay=delay,
            refresh=refresh,
            lock_wait=lock_wait,
            run_deadline=run_deadline,
        )
    )


@main.command()
@click.argument("urls", nargs=-1, required=True)
@db_option
@delay_option
@refresh_option
@lock_wait_option
@run_deadline_option
def ingest(
    urls: tuple[str, ...],
    db: str | None,
    delay: float,
    refresh: bool,
    lock_wait: float,
    run_deadline: float | None,
) -> None:
    """Fetch portal (人民网) or e-paper article URLs into the warehouse."""
    bad = [u for u in urls if not u.startswith(("http://", "https://"))]
    if bad:
        raise click.BadParameter(f"not an http(s) URL: {', '.join(bad)}", param_hint="URLS")
    _prepare_prefect_env()
    from flows.ingest import ingest_urls

    _run_flow(
        lambda: ingest_urls(
            urls=list(urls),
            db=db,
            delay=delay,
            refresh=refresh,
            lock_wait=lock_wait,
            run_deadline=run_deadline,
        )
    )


@main.command()
@db_option
def failures(db: str | None) -> None:
    """List pages that failed and are still to be retried."""
    from etl.config import default_db_path
    from etl.load import open_failures

    rows = open_failures(Path(db) if db else default_db_path())
    if not rows:
        click.echo("no open failures")
        return
    for f in rows:
        status = f" HTTP {f.http_status}" if f.http_status else ""
        retry = "" if f.retryable else "  (no longer retried by itself)"
        when = f"{f.last_failed_at:%Y-%m-%d %H:%M}"
        click.echo(f"{when} {f.stage}{status} x{f.failure_count} {f.url}  {f.reason}{retry}")


@main.command("extract-text")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option(
    "--published",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Publication date, to resolve 今年/上半年/去年 (default: today).",
)
@click.option("--region", default=None, help="Region the article is about, when the text does not say.")
def extract_text(file: TextIO, published: dt.datetime | None, region: str | None) -> None:
    """Print the indicators of a plain-text article (FILE, or - for stdin) as a table."""
    from etl.clean import normalise_text
    from etl.extract import extract_indicators, format_table

    paragraphs = [normalise_text(line) for line in file.read().splitlines()]
    text = "\n".join(p for p in paragraphs if p)
    day = published.date() if published else dt.date.today()
    click.echo(format_table(extract_indicators(text, day, region_hint=region)))


@main.command()
@db_option
def migrate(db: str | None) -> None:
    """Create or upgrade the warehouse schema (runs also do this on their own)."""
    from etl.config import default_db_path
    from etl.load import connect
    from etl.load import migrate as apply

    with connect(Path(db) if db else default_db_path()) as con:
        applied = apply(con)
    click.echo(f"applied migrations: {applied}" if applied else "schema is up to date")


if __name__ == "__main__":
    main()
