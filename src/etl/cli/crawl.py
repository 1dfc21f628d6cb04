"""`etl run`, `etl ingest`, `etl portal`: the commands that crawl into the warehouse."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from etl.cli.common import (
    EXIT_BUSY,
    _check_run_settings,
    _report,
    _run_flow,
    _usage_error,
    db_option,
    json_option,
    main,
    prefect_option,
    run_options,
    run_summary_call,
)
from etl.config import (
    RunOptions,
    SettingError,
    check_article_url,
    check_issue_date,
    check_origin,
    default_db_path,
    prepare_prefect_env,
)
from etl.urls import DEFAULT_EPAPER_BASE, canonical_article_url

if TYPE_CHECKING:
    from flows.common import RunSummary


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
@json_option
@prefect_option
@run_options
def run(
    date_: dt.datetime | None,
    db: str | None,
    base_url: str,
    as_json: bool,
    force_prefect: bool,
    options: RunOptions,
) -> None:
    """Crawl one day of the 人民日报 e-paper into the warehouse.

    Without PREFECT_API_URL (or --prefect) the flow runs in this process without a Prefect server:
    same warehouse rows, summary and exit codes, no flow run in the Prefect UI.
    """
    try:
        day = check_issue_date("--date", date_.date()) if date_ else None
        base_url = check_origin("--base-url", base_url)
    except SettingError as exc:
        _usage_error(exc)
    _check_run_settings(db, options)
    prepare_prefect_env()
    from etl.config import accept_url
    from flows.epaper_day import DAILY_EPAPER

    # The flow gets the URL without user:password (Prefect stores its parameters); the fetcher gets
    # the credentials out of band.
    base_url = accept_url(base_url)

    run_daily = run_summary_call(DAILY_EPAPER, force_prefect)
    _run_flow(
        lambda: run_daily(
            date=day.isoformat() if day else None,
            db=db,
            base_url=base_url,
            **options.flow_parameters(),
        ),
        as_json,
    )


def _read_url_list(name: str) -> list[tuple[str, str]]:
    """(URL, where it came from) for each line of a URL list; blank lines and # comments skipped."""
    try:
        raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise SettingError(f"cannot read --from-file {name}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SettingError(f"--from-file {name} is not UTF-8 text") from None
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        url = line.strip()
        if url and not url.startswith("#"):
            found.append((url, f"{'stdin' if name == '-' else name} line {number}"))
    return found


def _ingest_list(urls: tuple[str, ...], url_files: tuple[str, ...]) -> list[str]:
    """The URLs to ingest, from the arguments then the files, checked, normalised and each once (none:
    the run retries what earlier ingests left open)."""
    from etl.config import accept_url

    given = [(u, "argument") for u in urls]
    for name in url_files:
        given += _read_url_list(name)
    # Credentials in a URL go to the fetcher out of band, never into a flow parameter or a message.
    given = [(accept_url(u), origin) for u, origin in given]
    checked: list[str] = []
    bad: list[str] = []
    for url, origin in given:
        try:
            checked.append(check_article_url("URL", url))
        except SettingError:
            bad.append(f"{url[:200]!r} ({origin})")
    if bad:
        more = f", and {len(bad) - 1} more" if len(bad) > 1 else ""
        raise SettingError(f"not an http(s) URL with a host: {bad[0]}{more}")
    return list(dict.fromkeys(canonical_article_url(u) for u in checked))


@main.command()
@click.argument("urls", nargs=-1)
@click.option(
    "--from-file",
    "url_files",
    multiple=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Also read URLs from FILE (- for stdin), one per line; blank lines and # comments are skipped.",
)
@db_option
@json_option
@prefect_option
@run_options
def ingest(
    urls: tuple[str, ...],
    url_files: tuple[str, ...],
    db: str | None,
    as_json: bool,
    force_prefect: bool,
    options: RunOptions,
) -> None:
    """Fetch portal (人民网) or e-paper article URLs into the warehouse. Open failures of earlier
    ingests (portal articles, and named URLs a stopped run did not reach) are retried too; without
    URLs, only those.

    Without PREFECT_API_URL (or --prefect) the flow runs in this process without a Prefect server:
    same warehouse rows, summary and exit codes, no flow run in the Prefect UI.
    """
    try:
        wanted = _ingest_list(urls, url_files)
    except SettingError as exc:
        _usage_error(exc)
    _check_run_settings(db, options)
    prepare_prefect_env()
    from etl.load import WarehouseBusy
    from flows.chunks import ingest_in_chunks
    from flows.ingest_run import INGEST_URLS, ingest_retry_refs

    run_ingest = run_summary_call(INGEST_URLS, force_prefect)

    def run_one(chunk: list[str], retry_failed: bool, batch_size: int) -> RunSummary:
        chunk_options = replace(options, retry_failed=retry_failed, batch_size=batch_size)
        return run_ingest(urls=chunk, db=db, **chunk_options.flow_parameters())

    if not wanted:
        try:
            to_retry, _left = ingest_retry_refs(Path(db) if db else default_db_path())
        except WarehouseBusy as exc:
            click.echo(f"etl: {exc}", err=True)
            sys.exit(EXIT_BUSY)
        if not to_retry:
            if as_json:
                from flows.common import RunSummary

                nothing = RunSummary(run_id="", flow="ingest_urls", status="ok", message="nothing to ingest")
                sys.exit(_report(nothing, as_json=True))
            click.echo("nothing to ingest")
            return
    # One flow run per chunk of the list: Prefect refuses larger flow-run parameters.
    _run_flow(
        lambda: ingest_in_chunks(wanted, run_one) if wanted else run_one([], True, options.batch_size),
        as_json,
    )


@main.command()
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Articles listed as modified since this day (default: since the last successful portal run).",
)
@click.option(
    "--channels",
    default=None,
    help="Comma-separated channels to follow, e.g. politics,finance (default: the national news channels).",
)
@click.option("--base-url", default=None, help="Scheme and host of a mirror or saved copy of the portal.")
@db_option
@json_option
@prefect_option
@run_options
def portal(
    since: dt.datetime | None,
    channels: str | None,
    base_url: str | None,
    db: str | None,
    as_json: bool,
    force_prefect: bool,
    options: RunOptions,
) -> None:
    """Discover new 人民网 articles from the news sitemaps (or channel list pages) and load them.

    www.people.cn asks for 120 s between requests, so each followed channel adds two minutes of
    sitemap reading; the articles themselves are fetched from their channel hosts in parallel.

    Without PREFECT_API_URL (or --prefect) the flow runs in this process without a Prefect server:
    same warehouse rows, summary and exit codes, no flow run in the Prefect UI.
    """
    from etl.config import accept_url

    try:
        day = check_issue_date("--since", since.date()) if since else None
        # Credentials in the URL go to the fetcher out of band, never into a flow parameter or a message.
        base_url = check_origin("--base-url", accept_url(base_url)) if base_url else None
    except SettingError as exc:
        _usage_error(exc)
    _check_run_settings(db, options)
    prepare_prefect_env()
    from flows.portal import portal_news

    run_portal = run_summary_call(portal_news, force_prefect)
    _run_flow(
        lambda: run_portal(
            since=day.isoformat() if day else None,
            channels=[c for c in (channels or "").split(",") if c.strip()] or None,
            base_url=base_url,
            db=db,
            **options.flow_parameters(),
        ),
        as_json,
    )
