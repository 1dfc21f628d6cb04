"""`etl failures`: the pages still failing, and what an operator does about them (`clear`, `retry`).

Bare `etl failures` lists them (a header row, a line explaining the columns, times in Beijing time;
`--json` for one JSON document); `etl failures clear` marks the selected ones resolved and
`etl failures retry` fetches them again now: named article URLs through an ingest run, 版面 pages
through the daily run of their issue day.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import click

from etl.cli.common import (
    _check_run_settings,
    _run_flow,
    _usage_error,
    db_option,
    delay_option,
    lock_wait_option,
    main,
)
from etl.config import RunOptions, SettingError, check_warehouse, default_db_path, prepare_prefect_env

if TYPE_CHECKING:
    from etl.load import FailureMatch, OpenFailure
    from flows.common import RunSummary

BEIJING = ZoneInfo("Asia/Shanghai")
COLUMNS_EXPLAINED = (
    "last failed: Beijing time; stage: where the page failed; HTTP: the last status; runs: runs that "
    "failed on it; next runs: 'retry' when the following runs try it again by themselves, 'wait' "
    "when they gave up (etl failures retry / clear)"
)


def _warehouse(db: str | None, writable: bool) -> Path:
    try:
        return check_warehouse("--db", Path(db) if db else default_db_path(), writable=writable)
    except SettingError as exc:
        _usage_error(exc)


def beijing_time(utc: dt.datetime) -> dt.datetime:
    """A warehouse timestamp (UTC without a zone) in Beijing time, zone attached."""
    return utc.replace(tzinfo=dt.UTC).astimezone(BEIJING)


def _as_json(f: OpenFailure) -> dict[str, Any]:
    return {
        "url": f.url,
        "kind": f.kind,
        "stage": f.stage,
        "reason": f.reason,
        "http_status": f.http_status,
        "attempts": f.attempts,
        "failure_count": f.failure_count,
        "last_failed_at": beijing_time(f.last_failed_at).isoformat(),
        "retry": str(f.retry),
        "retried_by_next_runs": f.retryable,
    }


@main.group(invoke_without_command=True)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document: a list of objects.")
@click.pass_context
def failures(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """List pages that failed and are still open: why, and whether the next runs retry them."""
    ctx.obj = {"db": db}
    if ctx.invoked_subcommand is not None:
        return
    from etl.load import open_failures
    from etl.text_safety import terminal_line

    rows = open_failures(_warehouse(db, writable=False))
    if as_json:
        click.echo(json.dumps([_as_json(f) for f in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no open failures")
        return
    click.echo(f"{'last failed':<20} {'stage':<8} {'HTTP':>4} {'runs':>4} {'next runs':<9} url  reason")
    click.echo(f"# {COLUMNS_EXPLAINED}")
    for f in rows:
        when = f"{beijing_time(f.last_failed_at):%Y-%m-%d %H:%M %Z}"
        status = str(f.http_status) if f.http_status else "-"
        plan = "retry" if f.retryable else "wait"
        # URLs and reasons come from the crawled sites: no control sequences on the terminal.
        click.echo(
            terminal_line(
                f"{when:<20} {f.stage:<8} {status:>4} {f.failure_count:>4} {plan:<9} {f.url}  {f.reason}"
            )
        )


def _selection_options(func: Any) -> Any:
    func = click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Issue day in the URL.")(
        func
    )
    func = click.option("--host", help="Host of the URL, e.g. paper.people.com.cn.")(func)
    func = click.option("--url", help="One failed URL, exactly as listed.")(func)
    return func


def _match(url: str | None, host: str | None, day: dt.datetime | None) -> FailureMatch:
    from etl.load import FailureMatch

    return FailureMatch(url=url, host=host, day=day.date() if day else None)


def _db_of(ctx: click.Context, db: str | None) -> str | None:
    return db or (ctx.obj or {}).get("db")


@failures.command()
@_selection_options
@db_option
@click.pass_context
def clear(
    ctx: click.Context, url: str | None, host: str | None, day: dt.datetime | None, db: str | None
) -> None:
    """Mark the open failures of a URL, a host or an issue day resolved: no run retries them."""
    from etl.load import resolve_failures

    if url is None and host is None and day is None:
        _usage_error(SettingError("say which failures to clear: --url, --host or --date"))
    cleared = resolve_failures(_warehouse(_db_of(ctx, db), writable=True), _match(url, host, day))
    click.echo(f"cleared {cleared} open failure{'' if cleared == 1 else 's'}")


@failures.command()
@_selection_options
@db_option
@delay_option
@lock_wait_option
@click.pass_context
def retry(
    ctx: click.Context,
    url: str | None,
    host: str | None,
    day: dt.datetime | None,
    db: str | None,
    delay: float,
    lock_wait: float,
) -> None:
    """Fetch the selected open failures again now (all of them without --url/--host/--date): article
    URLs through an ingest run, 版面 pages through the daily run of their issue day. Exit status as
    for `etl run`."""
    from etl.load import matching_failures
    from etl.models import PageKind
    from etl.urls import ref_for_url

    db = _db_of(ctx, db)
    selected = matching_failures(_warehouse(db, writable=False), _match(url, host, day))
    if not selected:
        click.echo("no open failures to retry")
        return
    articles: list[str] = []
    days: dict[tuple[dt.date, str], None] = {}
    skipped: list[str] = []
    for f in selected:
        ref = ref_for_url(f.url)
        kind = f.kind or str(ref.kind)
        if kind == PageKind.EPAPER_LAYOUT and ref.issue_date is not None:
            parts = urlsplit(f.url)
            days[(ref.issue_date, f"{parts.scheme}://{parts.netloc}")] = None
        elif kind in (PageKind.EPAPER_ARTICLE, PageKind.PORTAL_ARTICLE):
            articles.append(f.url)
        else:
            skipped.append(f.url)
    for skipped_url in skipped:
        click.echo(f"not retried here (the next portal run reads listings again): {skipped_url}")
    if not articles and not days:
        return
    _check_run_settings(db, RunOptions(delay=delay, lock_wait=lock_wait))
    prepare_prefect_env()
    from flows.chunks import chunk_urls, combine_summaries
    from flows.common import summary_of
    from flows.epaper import daily_epaper
    from flows.ingest import ingest_urls

    def run_all() -> RunSummary:
        summaries = [
            summary_of(
                daily_epaper(
                    date=issue_day.isoformat(),
                    db=db,
                    base_url=base_url,
                    delay=delay,
                    lock_wait=lock_wait,
                    retry_failed=False,
                    return_state=True,
                )
            )
            for issue_day, base_url in days
        ]
        summaries += [
            summary_of(
                ingest_urls(
                    urls=chunk, db=db, delay=delay, lock_wait=lock_wait, retry_failed=False, return_state=True
                )
            )
            for chunk in chunk_urls(articles)
        ]
        return combine_summaries(summaries)

    _run_flow(run_all)
