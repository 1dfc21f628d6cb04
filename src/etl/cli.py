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
from typing import TYPE_CHECKING, BinaryIO, NoReturn

import click

from etl.config import (
    SettingError,
    Settings,
    check_article_url,
    check_issue_date,
    check_origin,
    check_seconds,
    check_warehouse,
    default_db_path,
)
from etl.urls import DEFAULT_EPAPER_BASE, canonical_article_url

if TYPE_CHECKING:
    from flows.common import RunSummary

EXIT_FAILURES = 1
EXIT_USAGE = 2
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
accept_changes_option = click.option(
    "--accept-changes",
    is_flag=True,
    help="Load new versions of stored articles even when they shrank drastically (otherwise the "
    "stored version is kept and the page is listed as a suspicious change).",
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
    from etl.text_safety import terminal_line

    c = summary.counters()
    click.echo(
        f"{summary.flow} {summary.status}: {c['articles_loaded']} articles loaded, "
        f"{c['articles_unchanged']} unchanged, {c['images_loaded']} images, "
        f"{c['indicators_loaded']} indicators, {c['pages_fetched']} pages fetched, "
        f"{c['pages_not_modified']} not modified, {c['failures']} failures"
    )
    for url, stage, reason in summary.failures:
        # URLs and reasons come from the crawled sites: no control sequences on the terminal.
        click.echo(terminal_line(f"FAILED {url} [{stage}] {reason}"), err=True)
    for url in summary.generic:
        click.echo(
            terminal_line(f"GENERIC {url} (no template knows this layout; see etl templates)"), err=True
        )
    if summary.message:
        click.echo(terminal_line(f"etl: {summary.message}"), err=True)
    if summary.infrastructure_trouble:
        return EXIT_INFRASTRUCTURE
    return EXIT_FAILURES if summary.failures else 0


def _usage_error(exc: SettingError) -> NoReturn:
    """A bad option, argument or ETL_* setting: one line, exit 2, before anything is written."""
    click.echo(f"etl: {exc}", err=True)
    sys.exit(EXIT_USAGE)


def _check_run_settings(db: str | None, delay: float, lock_wait: float) -> None:
    """What a run checks for itself, checked here first under the option names, so that a bad value
    never reaches Prefect (which would print a traceback) and nothing is written."""
    try:
        check_seconds("--delay", delay)
        check_seconds("--lock-wait", lock_wait)
        check_warehouse("--db", Path(db) if db else default_db_path())
        Settings.from_args(db, delay=delay, lock_wait=lock_wait)  # the ETL_* fetch variables
    except SettingError as exc:
        _usage_error(exc)


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
@accept_changes_option
@run_deadline_option
def run(
    date_: dt.datetime | None,
    db: str | None,
    base_url: str,
    delay: float,
    refresh: bool,
    lock_wait: float,
    accept_changes: bool,
    run_deadline: float | None,
) -> None:
    """Crawl one day of the 人民日报 e-paper into the warehouse."""
    try:
        day = check_issue_date("--date", date_.date()) if date_ else None
        base_url = check_origin("--base-url", base_url)
    except SettingError as exc:
        _usage_error(exc)
    _check_run_settings(db, delay, lock_wait)
    _prepare_prefect_env()
    from etl.config import accept_url
    from flows.epaper import daily_epaper

    # The flow gets the URL without user:password (Prefect stores its parameters); the fetcher gets
    # the credentials out of band.
    base_url = accept_url(base_url)

    _run_flow(
        lambda: daily_epaper(
            date=day.isoformat() if day else None,
            db=db,
            base_url=base_url,
            delay=delay,
            refresh=refresh,
            lock_wait=lock_wait,
            accept_changes=accept_changes,
            run_deadline=run_deadline,
        )
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
@delay_option
@refresh_option
@lock_wait_option
@accept_changes_option
@run_deadline_option
def ingest(
    urls: tuple[str, ...],
    url_files: tuple[str, ...],
    db: str | None,
    delay: float,
    refresh: bool,
    lock_wait: float,
    accept_changes: bool,
    run_deadline: float | None,
) -> None:
    """Fetch portal (人民网) or e-paper article URLs into the warehouse. Open failures of earlier
    ingests (portal articles, and named URLs a stopped run did not reach) are retried too; without
    URLs, only those."""
    try:
        wanted = _ingest_list(urls, url_files)
    except SettingError as exc:
        _usage_error(exc)
    _check_run_settings(db, delay, lock_wait)
    _prepare_prefect_env()
    from etl.load import WarehouseBusy
    from flows.chunks import ingest_in_chunks
    from flows.ingest import ingest_retry_refs, ingest_urls
    from flows.tasks import BATCH_SIZE

    def run_one(chunk: list[str], retry_failed: bool, batch_size: int) -> RunSummary:
        return ingest_urls(
            urls=chunk,
            db=db,
            delay=delay,
            refresh=refresh,
            retry_failed=retry_failed,
            lock_wait=lock_wait,
            batch_size=batch_size,
            accept_changes=accept_changes,
            run_deadline=run_deadline,
        )

    if not wanted:
        try:
            to_retry, _left = ingest_retry_refs(Path(db) if db else default_db_path())
        except WarehouseBusy as exc:
            click.echo(f"etl: {exc}", err=True)
            sys.exit(EXIT_BUSY)
        if not to_retry:
            click.echo("nothing to ingest")
            return
    # One flow run per chunk of the list: Prefect refuses larger flow-run parameters.
    _run_flow(lambda: ingest_in_chunks(wanted, run_one) if wanted else run_one([], True, BATCH_SIZE))


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
@delay_option
@refresh_option
@lock_wait_option
@accept_changes_option
@run_deadline_option
def portal(
    since: dt.datetime | None,
    channels: str | None,
    base_url: str | None,
    db: str | None,
    delay: float,
    refresh: bool,
    lock_wait: float,
    accept_changes: bool,
    run_deadline: float | None,
) -> None:
    """Discover new 人民网 articles from the news sitemaps (or channel list pages) and load them.

    www.people.cn asks for 120 s between requests, so each followed channel adds two minutes of
    sitemap reading; the articles themselves are fetched from their channel hosts in parallel.
    """
    from etl.config import accept_url

    try:
        day = check_issue_date("--since", since.date()) if since else None
        # Credentials in the URL go to the fetcher out of band, never into a flow parameter or a message.
        base_url = check_origin("--base-url", accept_url(base_url)) if base_url else None
    except SettingError as exc:
        _usage_error(exc)
    _check_run_settings(db, delay, lock_wait)
    _prepare_prefect_env()
    from flows.portal import portal_news

    _run_flow(
        lambda: portal_news(
            since=day.isoformat() if day else None,
            channels=[c for c in (channels or "").split(",") if c.strip()] or None,
            base_url=base_url,
            db=db,
            delay=delay,
            refresh=refresh,
            lock_wait=lock_wait,
            accept_changes=accept_changes,
            run_deadline=run_deadline,
        )
    )


@main.command()
@db_option
def failures(db: str | None) -> None:
    """List pages that failed and are still to be retried."""
    from etl.load import open_failures
    from etl.text_safety import terminal_line

    try:
        db_path = check_warehouse("--db", Path(db) if db else default_db_path(), writable=False)
    except SettingError as exc:
        _usage_error(exc)
    rows = open_failures(db_path)
    if not rows:
        click.echo("no open failures")
        return
    for f in rows:
        status = f" HTTP {f.http_status}" if f.http_status else ""
        retry = "" if f.retryable else "  (no longer retried by itself)"
        when = f"{f.last_failed_at:%Y-%m-%d %H:%M}"
        click.echo(terminal_line(f"{when} {f.stage}{status} x{f.failure_count} {f.url}  {f.reason}{retry}"))


@main.command()
@db_option
def templates(db: str | None) -> None:
    """Which template read the articles of each host; `generic` marks layouts that need a template."""
    from etl.config import default_db_path
    from etl.load import template_use
    from etl.text_safety import terminal_line

    rows = template_use(Path(db) if db else default_db_path())
    if not rows:
        click.echo("no articles loaded")
        return
    click.echo(f"{'host':<32} {'template':<22} {'articles':>8}  last loaded (UTC)   latest article")
    for host, template, articles, last_loaded, latest in rows:
        flag = "  <- needs a template" if template == "generic" else ""
        click.echo(
            terminal_line(
                f"{host:<32} {template:<22} {articles:>8}  {last_loaded:%Y-%m-%d %H:%M}    {latest}{flag}"
            )
        )


# A text file has next to no control characters and, decoded, few replacement characters; more than
# this share of them means the input is not text.
MAX_UNDECODABLE_SHARE = 0.1


def _decode_text_file(raw: bytes, name: str) -> str:
    """Decode an article file like a fetched page (UTF-8, else gb18030); refuse binary input."""
    from etl.fetch import Undecodable, decode_html

    if b"\x00" in raw:
        raise SettingError(f"{name} is binary (it holds NUL bytes), not text")
    try:
        text = decode_html(raw).text
    except Undecodable as exc:
        raise SettingError(f"{name} is binary or not text ({exc})") from None
    undecodable = sum(1 for ch in text if ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\f\v"))
    if undecodable > MAX_UNDECODABLE_SHARE * len(text):
        raise SettingError(
            f"{name} is binary or in an unknown encoding: {undecodable} undecodable characters"
        )
    return text


@main.command("extract-text")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--published",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Publication date, to resolve 今年/上半年/去年 (default: today).",
)
@click.option("--region", default=None, help="Region the article is about, when the text does not say.")
@click.option(
    "--explain",
    is_flag=True,
    help="List every candidate number with the rule that dropped it, or the metric it was kept with.",
)
def extract_text(file: BinaryIO, published: dt.datetime | None, region: str | None, explain: bool) -> None:
    """Print the indicators of a plain-text article (FILE, or - for stdin) as a table.

    \b
    Columns (docs/indicators.md):
      value     in the base unit; negative for a decrease (下降2.1% -> -2.1)
      metric    the subject alone, without comparison words (同比增长, 比上年下降)
      measure   level | growth | change | share | completion
      basis     yoy | mom | base, for a growth or change; empty otherwise
      region    the most specific place named; 全国 for a national figure
      province  the province-level unit containing region (杭州 -> 浙江; 全国 -> 全国)
    """
    from etl.extract import ExtractionRefused, extract_indicators, format_table
    from etl.text_grammar.normalise import normalise_text

    try:
        day = check_issue_date("--published", published.date()) if published else dt.date.today()
        name = str(getattr(file, "name", "<stdin>"))  # a test runner's stdin has no name
        content = _decode_text_file(file.read(), "stdin" if name in ("<stdin>", "-") else name)
    except SettingError as exc:
        _usage_error(exc)
    paragraphs = [normalise_text(line) for line in content.splitlines()]
    text = "\n".join(p for p in paragraphs if p)
    try:
        if explain:
            from etl.extract import explain_text

            click.echo(explain_text(text, day, region_hint=region))
            return
        rows = extract_indicators(text, day, region_hint=region)
    except ExtractionRefused as refused:  # not article prose: one line saying why, exit status 1
        raise click.ClickException(str(refused)) from None
    click.echo(format_table(rows))


@main.command()
@db_option
def migrate(db: str | None) -> None:
    """Create or upgrade the warehouse schema (runs also do this on their own)."""
    from etl.load import connect
    from etl.load import migrate as apply

    try:
        db_path = check_warehouse("--db", Path(db) if db else default_db_path())
    except SettingError as exc:
        _usage_error(exc)
    with connect(db_path) as con:
        applied = apply(con)
    click.echo(f"applied migrations: {applied}" if applied else "schema is up to date")


if __name__ == "__main__":
    main()
