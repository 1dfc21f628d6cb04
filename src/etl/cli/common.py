"""What every `etl` command shares: the command group, exit codes, options and how a run ends.

The `etl` command line. Other tools depend on these command and option names: keep them stable.

Exit codes: 0 every page of the run's scope loaded; 1 some of them failed (one line per failed URL
on stderr, the rest loaded; also when the run deadline left pages unfetched, for an e-paper day with
no paper to load, and when the run failed for an unexpected reason). Open failures of earlier runs
that a run retries on the side are reported (`STILL FAILING` lines) but never change its exit code;
2 bad usage or bad configuration (an option, an argument or an ETL_* variable that cannot be used,
refused before anything is written); 3 the warehouse is held by another run; 4 infrastructure
trouble (the Prefect API unreachable, disk full, a warehouse or raw-page archive that cannot be
written); 130 / 143 the run was stopped by SIGINT / SIGTERM (128 + the signal's number, as a shell
reports a process the signal killed). Every outcome but 0 ends with one line on stderr saying why;
`etl -v` adds the traceback of an error.
"""

from __future__ import annotations

import errno
import functools
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from etl.config import (
    DEFAULT_RUN_DEADLINE,
    RUN_DEFAULTS,
    RunOptions,
    SettingError,
    Settings,
    check_environment,
    check_positive_seconds,
    check_seconds,
    check_warehouse,
    default_db_path,
)

if TYPE_CHECKING:
    from prefect import Flow

    from flows.common import RunSummary
    from flows.reprocess import ReprocessSummary
    from flows.runcontext import FlowEntry


EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_BUSY = 3
EXIT_INFRASTRUCTURE = 4


def run_summary_call(flow: Flow[..., Any] | FlowEntry, force_prefect: bool) -> Callable[..., RunSummary]:
    """How a command runs a flow and gets its summary: as a Prefect flow run when a Prefect API is
    configured (PREFECT_API_URL, in the environment or the Prefect profile) or `--prefect` asks for
    one (a temporary local server without an API); otherwise its function called directly, with the
    same runs row, summary and exit codes, and without the seconds a temporary server takes to
    start. Either way a run that did not do what it was for comes back as its summary (Failed).
    A `FlowEntry` (flows.runcontext) names the flow without importing it: a lean run of it never
    imports Prefect."""
    from flows.common import summary_of, summary_of_result
    from flows.concurrency import api_configured
    from flows.runcontext import PLAIN_LOGGER, FlowEntry

    if force_prefect or api_configured():
        as_flow = flow.flow() if isinstance(flow, FlowEntry) else flow

        def flow_run(**params: Any) -> RunSummary:
            state: Any = as_flow(**params, return_state=True)  # a State, whatever the flow returns
            return summary_of(state)

        return flow_run
    fn = flow.fn
    if "prefect" not in sys.modules:
        _plain_console_logging()
    # The flow's progress lines, which Prefect's run logger shows at INFO, reach the console through
    # the handlers Prefect gives the `etl` loggers (PREFECT_LOGGING_EXTRA_LOGGERS), or ours.
    logging.getLogger(PLAIN_LOGGER).setLevel(logging.INFO)
    return lambda **params: summary_of_result(fn(**params))


# The console lines of a lean run, in the layout of Prefect's console handler.
_CONSOLE_FORMAT = "%(asctime)s.%(msecs)03d | %(levelname)-7s | %(name)s - %(message)s"


def _plain_console_logging() -> None:
    """A console handler for the `etl` loggers when Prefect, whose logging setup gives them one
    (PREFECT_LOGGING_EXTRA_LOGGERS), is not imported: a lean run prints the same lines. The level
    is Prefect's console level (PREFECT_LOGGING_LEVEL, default INFO)."""
    etl_logger = logging.getLogger("etl")
    if any(isinstance(h, logging.StreamHandler) for h in etl_logger.handlers):
        return
    level = logging.getLevelName(os.environ.get("PREFECT_LOGGING_LEVEL", "INFO").strip().upper())
    level = level if isinstance(level, int) else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(_CONSOLE_FORMAT, datefmt="%H:%M:%S"))
    handler.setLevel(level)
    etl_logger.addHandler(handler)
    etl_logger.setLevel(level)
    etl_logger.propagate = False


prefect_option = click.option(
    "--prefect",
    "force_prefect",
    is_flag=True,
    help="Run as a Prefect flow run even when no PREFECT_API_URL is set (Prefect then starts a "
    "temporary local server, which takes seconds). With PREFECT_API_URL set, runs always go there.",
)


db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    help="DuckDB file (default: $ETL_DB, else peoples_daily.duckdb in the user's data directory, "
    "~/.local/share/peoples-daily-etl/ on Linux).",
)
delay_option = click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=RUN_DEFAULTS.delay,
    show_default=True,
    help="Minimum seconds between requests to one host (a robots.txt Crawl-delay wins when longer).",
)
refresh_option = click.option(
    "--refresh",
    is_flag=True,
    default=RUN_DEFAULTS.refresh,
    help="Download every page again, ignoring ETag/Last-Modified.",
)
accept_changes_option = click.option(
    "--accept-changes",
    is_flag=True,
    default=RUN_DEFAULTS.accept_changes,
    help="Load new versions of stored articles even when they shrank drastically (otherwise the "
    "stored version is kept and the page is listed as a suspicious change).",
)
run_deadline_option = click.option(
    "--run-deadline",
    type=click.FloatRange(min=0, min_open=True),
    default=RUN_DEFAULTS.run_deadline,
    metavar="SECONDS",
    help="Stop fetching after this long; pages left are failures for the next run "
    f"(default: $ETL_RUN_DEADLINE, else {DEFAULT_RUN_DEADLINE:g}).",
)
lock_wait_option = click.option(
    "--lock-wait",
    type=click.FloatRange(min=0),
    default=RUN_DEFAULTS.lock_wait,
    show_default=True,
    help="Seconds to wait for another run to release the warehouse.",
)


workers_option = click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Parse and extract on a local Dask cluster of N processes (1: in this process, without Dask).",
)

dask_address_option = click.option(
    "--dask-address",
    default=None,
    metavar="tcp://HOST:PORT",
    help="Parse and extract on this existing Dask cluster instead.",
)


json_option = click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the run summary as one JSON document on stdout instead of the summary lines "
    "(exit status unchanged).",
)

# Set by the group's -v/--verbose: errors end with their traceback instead of one line.
_verbose = False


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from etl.cli.version import version_lines

    click.echo("\n".join(version_lines()))
    ctx.exit()


def run_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options every crawl command takes (--delay, --refresh, --lock-wait, --accept-changes,
    --run-deadline), handed to the command as one ``options: RunOptions``. Put it right above the
    command's function, so that these options follow the command's own in its help."""

    @functools.wraps(command)
    def with_run_options(
        *args: Any,
        delay: float,
        refresh: bool,
        lock_wait: float,
        accept_changes: bool,
        run_deadline: float | None,
        **kwargs: Any,
    ) -> None:
        options = RunOptions(
            delay=delay,
            refresh=refresh,
            lock_wait=lock_wait,
            accept_changes=accept_changes,
            run_deadline=run_deadline,
        )
        command(*args, options=options, **kwargs)

    decorated: Callable[..., None] = with_run_options
    # Click lists a command's options in the reverse order of their decorators.
    for option in reversed(
        (delay_option, refresh_option, lock_wait_option, accept_changes_option, run_deadline_option)
    ):
        decorated = option(decorated)
    return decorated


@click.group()
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the versions of the package, extractor, schema, DuckDB, Prefect and Python, and exit.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show the traceback of an error, not just its one line.")
def main(verbose: bool) -> None:
    """People's Daily indicator ETL: e-paper and portal pages into DuckDB."""
    global _verbose
    _verbose = verbose


def _summary_document(summary: RunSummary | ReprocessSummary, exit_code: int) -> dict[str, Any]:
    """The run summary as `--json` prints it: what the summary lines say, as data."""
    return {
        "flow": summary.flow,
        "run_id": summary.run_id or None,
        "status": summary.status,
        "counters": summary.counters(),
        "failures": [{"url": u, "stage": s, "reason": r} for u, s, r in summary.failures],
        # Earlier runs' pages retried on the side: reported, never part of this run's status.
        "retry_failures": [{"url": u, "stage": s, "reason": r} for u, s, r in summary.retry_failures],
        "generic": list(summary.generic),
        "limits": list(summary.limits),
        "message": summary.message,
        "exit_code": exit_code,
    }


def _report(summary: RunSummary | ReprocessSummary, as_json: bool = False) -> int:
    from etl.text_safety import terminal_line

    code = EXIT_FAILURES if summary.failed else 0
    if summary.infrastructure_trouble:
        code = EXIT_INFRASTRUCTURE
    if as_json:
        # ensure_ascii: the document is safe for any terminal or log, whatever the sites sent.
        click.echo(json.dumps(_summary_document(summary, code), ensure_ascii=True))
        if summary.message and code:
            click.echo(terminal_line(f"etl: {summary.message}"), err=True)
        return code
    c = summary.counters()
    click.echo(
        f"{summary.flow} {summary.status}: {c['articles_loaded']} articles loaded, "
        f"{c['articles_unchanged']} unchanged, {c['images_loaded']} images, "
        f"{c['indicators_loaded']} indicators, {c['pages_fetched']} pages fetched, "
        f"{c['pages_not_modified']} not modified, {c['failures']} failures"
    )
    if summary.older:
        # Earlier runs' leftovers, retried on the side: they never change the exit status.
        click.echo(
            f"retried from earlier runs: {c['retried']} open failures, {c['retry_failures']} still failing "
            "(see etl failures)"
        )
    for url, stage, reason in summary.failures:
        # URLs and reasons come from the crawled sites: no control sequences on the terminal.
        click.echo(terminal_line(f"FAILED {url} [{stage}] {reason}"), err=True)
    for url, stage, reason in summary.retry_failures:
        click.echo(terminal_line(f"STILL FAILING {url} [{stage}] {reason} (an earlier run's page)"), err=True)
    for url in summary.generic:
        click.echo(
            terminal_line(f"GENERIC {url} (no template knows this layout; see etl templates)"), err=True
        )
    if summary.message:
        click.echo(terminal_line(f"etl: {summary.message}"), err=True)
    return code


def _usage_error(exc: SettingError) -> NoReturn:
    """A bad option, argument or ETL_* setting: one line, exit 2, before anything is written."""
    click.echo(f"etl: {exc}", err=True)
    sys.exit(EXIT_USAGE)


def _check_run_settings(db: str | None, options: RunOptions) -> None:
    """What a run checks for itself, checked here first under the option names, so that a bad value
    never reaches Prefect (which would print a traceback) and nothing is written: the options, and
    every ETL_* variable a run reads."""
    try:
        check_seconds("--delay", options.delay)
        check_seconds("--lock-wait", options.lock_wait)
        if options.run_deadline is not None:
            check_positive_seconds("--run-deadline", options.run_deadline)
        db_name = "--db" if db or not os.environ.get("ETL_DB") else "ETL_DB"
        check_warehouse(db_name, Path(db) if db else default_db_path())
        check_environment()
        Settings.from_options(db, options)  # fetch tuning, credentials, deadline
    except SettingError as exc:
        _usage_error(exc)


def _fail(code: int, message: str, cause: BaseException | None = None) -> NoReturn:
    """End with one `etl: …` line on stderr (and, with -v, the traceback of the cause, or of the
    exception being handled)."""
    from etl.text_safety import terminal_line

    cause = cause or sys.exc_info()[1]
    if _verbose and cause is not None:
        import traceback

        traceback.print_exception(cause)
    click.echo(terminal_line(f"etl: {' '.join(message.split())}"), err=True)
    sys.exit(code)


def _prefect_api_url() -> str | None:
    from flows.concurrency import api_configured

    if not api_configured():
        return None  # answered without importing Prefect when nothing could name an API
    from prefect.settings import PREFECT_API_URL

    value = PREFECT_API_URL.value()
    return str(value) if value else None


def _shown_api_url(url: str) -> str:
    from etl.urls import redact_url

    return redact_url(url)


def _check_prefect_api() -> None:
    """A run needs the Prefect API from its first step: when PREFECT_API_URL names a server, ask it
    before anything starts, once and without Prefect's own retries, and stop with exit 4 when it does
    not answer. (Without PREFECT_API_URL, Prefect starts a temporary local server itself.)"""
    url = _prefect_api_url()
    if url is None:
        return
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_CLIENT_MAX_RETRIES, temporary_settings

    try:
        with temporary_settings({PREFECT_CLIENT_MAX_RETRIES: 0}), get_client(sync_client=True) as client:
            problem = client.api_healthcheck()
    except Exception as exc:  # a URL the client cannot even be built for
        problem = exc
    if problem is not None:
        detail = " ".join(str(problem).split()) or type(problem).__name__
        _fail(
            EXIT_INFRASTRUCTURE,
            f"Prefect API unreachable at {_shown_api_url(url)} ({detail}); start the Prefect server "
            "or correct PREFECT_API_URL",
            problem,
        )


def _is_prefect_api_failure(exc: BaseException) -> bool:
    """A connection to the Prefect API that failed during the run (httpx transport errors, and the
    RuntimeError Prefect raises when its API cannot be reached)."""
    import httpx

    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        if isinstance(current, httpx.TransportError):
            return True
        if isinstance(current, RuntimeError) and str(current).startswith("Failed to reach API"):
            return True
        current = current.__cause__ or current.__context__
    return False


class _OneLineTracebacks(logging.Formatter):
    """Wraps a console handler's formatter: the record's line without the traceback under it."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            return self.inner.format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


def _quiet_console_tracebacks() -> None:
    """Prefect prints the traceback of a failed flow or task run on the console, 100 lines for one
    cause; without -v the console gets the line alone (the flow run's logs keep everything)."""
    if _verbose:
        return
    for name in ("prefect", "prefect.flow_runs", "prefect.task_runs", "etl", ""):
        for handler in logging.getLogger(name).handlers:
            console = isinstance(handler, logging.StreamHandler) and not isinstance(
                handler, logging.FileHandler
            )
            if console and not isinstance(handler.formatter, _OneLineTracebacks):
                handler.setFormatter(_OneLineTracebacks(handler.formatter))


def _run_flow(call: Callable[[], RunSummary | ReprocessSummary], as_json: bool = False) -> NoReturn:
    from etl.load import WarehouseBusy
    from etl.outcome import InfrastructureError, RunInterrupted

    _check_prefect_api()
    _quiet_console_tracebacks()
    try:
        summary = call()
    except WarehouseBusy as exc:
        _fail(EXIT_BUSY, str(exc))
    except InfrastructureError as exc:
        _fail(EXIT_INFRASTRUCTURE, str(exc))
    except RunInterrupted as exc:
        _fail(exc.exit_status, str(exc))
    except SettingError as exc:  # checked before the run; a deployment's parameters can still be bad
        _fail(EXIT_USAGE, str(exc))
    except Exception as exc:
        _end_unexpected(exc)
    sys.exit(_report(summary, as_json))


def _end_unexpected(exc: Exception) -> NoReturn:
    """An error no stage turned into a run outcome: the machine's (exit 4) or a bug (exit 1)."""
    if _is_prefect_api_failure(exc):
        url = _prefect_api_url()
        where = f" at {_shown_api_url(url)}" if url else ""
        _fail(EXIT_INFRASTRUCTURE, f"Prefect API unreachable{where} during the run: {exc}")
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        _fail(EXIT_INFRASTRUCTURE, f"{exc.strerror}: {exc.filename or ''}")
    if _verbose:
        raise exc
    _fail(EXIT_FAILURES, f"run failed: {type(exc).__name__}: {exc} (etl -v … shows the traceback)")
