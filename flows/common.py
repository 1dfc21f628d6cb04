"""What both flows do around their batches: the run lock, the run row, the fetcher, the summary,
and how a run ends when it cannot finish (a signal, its deadline, the disk)."""

from __future__ import annotations

import tempfile
import traceback
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from etl import compose, load
from etl.config import DEFAULT_RUN_DEADLINE, Settings, stray_warehouse
from etl.extract import EXTRACTOR_VERSION
from etl.fetch import Fetcher, RawArchive
from etl.fetch.deadline import RunStop
from etl.fetch.fetcher import ARCHIVE_FAILED
from etl.models import Failure, FailureStage, FetchStatus, PageRef
from etl.outcome import (
    ArchiveUnwritable,
    InfrastructureError,
    RunInterrupted,
    raise_if_stopped,
    stop_on_signals,
)
from etl.parse import GENERIC_TEMPLATE
from etl.text_safety import markdown_cell, terminal_line
from etl.urls import ref_for_url
from flows.concurrency import PrefectHostTurns, api_configured, warehouse_writer
from flows.runcontext import in_flow_run, publish_markdown, run_logger, step
from flows.runners import BATCHES_IN_FLIGHT_PER_WORKER, parallelism
from flows.tasks import (
    BatchResult,
    Crawl,
    FetchedArticles,
    batches,
    fetch_and_process,
    fetch_articles,
    finish_articles,
    read_articles,
    store_batch,
    unread,
)

if TYPE_CHECKING:
    from prefect.client.schemas.objects import State
    from prefect.futures import PrefectFuture
    from prefect.task_runners import TaskRunner

# Prefect fails every flow run still going after this long, deployments and `etl` commands alike: a
# run stops fetching at its deadline (DEFAULT_RUN_DEADLINE, 6 h) and then only loads what it has, so
# an hour past that it is hung.
FLOW_TIMEOUT_SECONDS = DEFAULT_RUN_DEADLINE + 3600


@dataclass(slots=True)
class RunSummary:
    """What a run did. `failures` are the pages of the run's own scope (the day's 版面 and articles,
    the named URLs, the discovered articles) and decide its state; open failures of earlier runs
    that it retried on the side (`older`) are counted apart, in `retried` and `retry_failures`."""

    run_id: str
    flow: str
    status: str = "running"
    scope: str | None = None  # what the run is for: an issue day, a since day, N URLs
    pages_fetched: int = 0
    pages_not_modified: int = 0
    counts: load.LoadCounts = field(default_factory=load.LoadCounts)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (url, stage, reason)
    older: set[str] = field(default_factory=set)  # earlier runs' failed URLs retried on the side
    retry_failures: list[tuple[str, str, str]] = field(default_factory=list)  # of `older`, again
    # Why nothing was loaded where something was expected (a day without paper); the run fails.
    nothing_to_load: str | None = None
    not_served: bool = False  # every 版面 of the day answered 404 or "not found"
    limits: list[str] = field(default_factory=list)  # caps that left pages uncrawled (flows.tasks)
    generic: list[str] = field(default_factory=list)  # articles read by the generic fallback
    message: str | None = None  # why the run ended as it did, when not simply ok/partial
    infrastructure_trouble: str | None = None  # pages failed for the machine's sake (the archive)

    def record(self, batch: BatchResult, counts: load.LoadCounts) -> None:
        self.counts.add(counts)
        self.limits.extend(batch.limits)
        self.generic.extend(a.article.url for a in batch.articles if a.article.template == GENERIC_TEMPLATE)
        for fetch, _kind in batch.fetches:
            if fetch.status is FetchStatus.OK:
                self.pages_fetched += 1
            elif fetch.status is FetchStatus.NOT_MODIFIED:
                self.pages_not_modified += 1
        for f in (*batch.failures, *counts.suspicious_changes):
            bucket = self.retry_failures if f.url in self.older else self.failures
            bucket.append((f.url, f.stage, f.reason))

    @property
    def failed(self) -> bool:
        """Whether the run did not do what it was for: a page of its own scope failed, nothing was
        there to load, or the machine failed it. Earlier runs' failures retried here do not count."""
        return bool(self.failures) or self.nothing_to_load is not None or self.status == "failed"

    def headline(self) -> str:
        """The run in one line: the CLI's first line and the Prefect state message."""
        c = self.counters()
        line = (
            f"{self.flow} {self.status}: {c['articles_loaded']} articles loaded, "
            f"{c['articles_unchanged']} unchanged, {c['images_loaded']} images, "
            f"{c['indicators_loaded']} indicators, {c['pages_fetched']} pages fetched, "
            f"{c['pages_not_modified']} not modified, {c['failures']} failures"
        )
        if self.older:
            line += f"; {c['retried']} earlier failures retried, {c['retry_failures']} still failing"
        if self.message:
            line += f" ({self.message})"
        return line

    def counters(self) -> dict[str, int]:
        """The run's counters, as `runs` stores them (`load.RUN_COUNTERS`, in that order)."""
        values = {
            "pages_fetched": self.pages_fetched,
            "pages_not_modified": self.pages_not_modified,
            "articles_loaded": self.counts.articles_loaded,
            "articles_unchanged": self.counts.articles_unchanged,
            "pages_skipped_unchanged": self.counts.pages_skipped_unchanged,
            "images_loaded": self.counts.images_loaded,
            "indicators_loaded": self.counts.indicators_loaded,
            "failures": len(self.failures),
            "retried": len(self.older),
            "retry_failures": len(self.retry_failures),
        }
        return {name: values[name] for name in load.RUN_COUNTERS}

    def as_markdown(self) -> str:
        scope = f" ({markdown_cell(self.scope)})" if self.scope else ""
        lines = [f"# {self.flow} run {self.run_id}{scope}: {self.status}", ""]
        if self.message:
            lines += [markdown_cell(self.message, max_chars=1000), ""]
        lines += ["| counter | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in self.counters().items()]
        if self.failures:
            lines += ["", "## Failures", "", "| url | stage | reason |", "|---|---|---|"]
            # URLs and reasons come from the crawled sites: shown as text, never as markup.
            lines += [
                f"| {markdown_cell(u)} | {markdown_cell(s)} | {markdown_cell(r)} |"
                for u, s, r in self.failures
            ]
        if self.older:
            lines += [
                "",
                "## Retried from earlier runs",
                "",
                f"{len(self.older)} open failures of earlier runs retried, {len(self.retry_failures)} "
                "failed again; they do not change this run's state.",
            ]
            if self.retry_failures:
                lines += ["", "| url | stage | reason |", "|---|---|---|"]
                lines += [
                    f"| {markdown_cell(u)} | {markdown_cell(s)} | {markdown_cell(r)} |"
                    for u, s, r in self.retry_failures
                ]
        if self.limits:
            lines += ["", "## Limits reached", ""] + [f"- {markdown_cell(line)}" for line in self.limits]
        if self.generic:
            lines += ["", "## Read by the generic fallback: these layouts need a template", ""]
            lines += [f"- {markdown_cell(url)}" for url in self.generic]
        return "\n".join(lines)


def flow_outcome(summary: RunSummary) -> RunSummary | State[Any]:
    """What a flow returns: the summary when the run did what it was for, else, in a flow run, a
    Failed state that carries it (message: the summary's headline). Read either back with
    `summary_of_result`. Outside a flow run there is no state to set: the summary itself, whose
    `failed` says the same (and Prefect is not imported for a state nobody reads)."""
    if summary.failed and in_flow_run():
        from prefect.states import Failed

        return Failed(message=summary.headline(), data=summary)
    return summary


def summary_of(state: State[Any]) -> RunSummary:
    """The summary of a finished flow run (called with `return_state=True`), Completed or Failed.
    A run that raised (busy warehouse, full disk, a signal) raises the same exception here."""
    result = state.result(raise_on_failure=False)
    if isinstance(result, RunSummary):
        return result
    if isinstance(result, BaseException):
        raise result
    raise RuntimeError(f"flow run ended {state.name} without a run summary: {state.message}")


def summary_of_result(result: RunSummary | State[Any]) -> RunSummary:
    """The summary a flow's function returned when called without Prefect (`flow.fn`): the summary
    itself, or the Failed state `flow_outcome` wraps it in."""
    if isinstance(result, RunSummary):
        return result
    return summary_of(result)


def _run_id() -> str:
    if in_flow_run():
        from prefect.runtime import flow_run

        current = flow_run.get_id()
        if current:
            return str(current)
    return uuid.uuid4().hex


@contextmanager
def crawl_session(
    flow_name: str,
    settings: Settings,
    params: dict[str, Any],
    extra_hosts: Sequence[str] = (),
    scope: str | None = None,
) -> Iterator[tuple[Crawl, RunSummary]]:
    """Lock the warehouse for the run, record the run, and close everything whatever happens.

    The run row always gets a terminal status and, when it did not simply finish, a one-line
    message: ``interrupted`` (SIGTERM/SIGINT), ``failed`` (disk, warehouse, archive, or a bug),
    ``partial`` (pages of its scope failed; also when the run deadline left pages unfetched),
    ``empty`` (nothing failed, but nothing was there to load). Only a warehouse
    that cannot take even that write keeps its ``running`` row, which the next run marks aborted.
    """
    logger = run_logger()
    db_path = Path(settings.db_path)
    logger.info("warehouse %s", db_path.absolute())
    if (stray := stray_warehouse(db_path)) is not None:
        logger.warning(
            "a warehouse exists at %s, but runs now default to %s; set ETL_DB=%s (or --db) to keep "
            "loading into it",
            stray,
            db_path,
            stray,
        )
    # Another run writing the warehouse (through the same Prefect server) is waited for as long as
    # a run may last, then the file lock is taken as before: it still keeps out runs that do not
    # share the server.
    with (
        warehouse_writer(settings.run_deadline, logger),
        load.run_lock(db_path, wait_seconds=settings.lock_wait),
    ):
        run_id = _run_id()
        stop = RunStop(settings.run_deadline)
        with stop_on_signals(stop):
            load.start_run(db_path, run_id, flow_name, params, scope=scope, wait_seconds=settings.lock_wait)
            summary = RunSummary(run_id=run_id, flow=flow_name, scope=scope)
            archive = RawArchive(Path(settings.archive_dir))
            fetcher = Fetcher(
                settings.fetch_config(extra_hosts),
                archive,
                stop=stop,
                shared_turns=PrefectHostTurns() if api_configured() else None,
            )
            crawl = Crawl(
                run_id=run_id,
                db_path=db_path,
                fetcher=fetcher,
                archive=archive,
                refresh=settings.refresh,
                accept_changes=settings.accept_changes,
                lock_wait=settings.lock_wait,
            )
            ended_by: BaseException | None = None
            try:
                _check_archive(archive.root)
                yield crawl, summary
                _conclude(summary, stop, settings)
            except BaseException as exc:
                ended_by = exc
                summary.status = "interrupted" if isinstance(exc, RunInterrupted) else "failed"
                summary.message = _one_line(exc)
                raise
            finally:
                fetcher.close()
                _finish(logger, db_path, summary, ended_by, settings)


def load_and_record(crawl: Crawl, summary: RunSummary, batch: BatchResult) -> None:
    """Load one batch in one transaction and count it, unless the run was stopped meanwhile.

    A stopped run raises ``RunInterrupted`` here and the batch is dropped whole: its pages were
    never recorded, so the next run fetches them again. A warehouse that refuses the write ends the
    run; the batch's pages are recorded as failures if the warehouse still takes that smaller write.
    """
    raise_if_stopped(crawl.fetcher.stop)
    try:
        counts = step(store_batch)(crawl, batch)
    except load.WarehouseUnwritable as exc:
        _release_frames(exc)
        _record_unloaded(crawl, batch, exc)
        raise
    crawl.stored.forget({fetch.url for fetch, _kind in batch.fetches})
    summary.record(batch, counts)


def crawl_articles(
    crawl: Crawl,
    summary: RunSummary,
    refs: Sequence[PageRef],
    batch_size: int,
    runner: TaskRunner[Any] | None,
    on_batch: Callable[[int], object] = lambda _n: None,
) -> None:
    """Fetch, read and load the article pages in batches, one transaction per batch, in order.

    Without a runner each batch is one task in this process. With one (a Dask cluster), this
    process fetches batch after batch while the runner's workers parse and extract the ones
    fetched before, a few batches ahead of the loader; continuation pages are fetched here, where
    the fetcher keeps its politeness. `on_batch` is told the size of each batch loaded.
    """
    chunks = batches(refs, batch_size)
    if runner is None:
        for chunk in chunks:
            load_and_record(crawl, summary, step(fetch_and_process)(crawl, chunk))
            on_batch(len(chunk))
        return
    in_flight: deque[tuple[int, FetchedArticles, PrefectFuture[compose.ReadPages]]] = deque()
    ahead = BATCHES_IN_FLIGHT_PER_WORKER * parallelism(runner)

    def load_next() -> None:
        size, fetched, future = in_flight.popleft()
        try:
            read = future.result()
        except Exception as exc:
            run_logger().error("a batch could not be read: %s", terminal_line(str(exc)))
            read = unread(fetched, exc)
        load_and_record(crawl, summary, finish_articles(crawl, fetched, read))
        on_batch(size)

    for chunk in chunks:
        fetched = step(fetch_articles)(crawl, chunk)
        in_flight.append(
            (len(chunk), fetched, runner.submit(read_articles.prefect_task, {"pages": fetched.to_read}))
        )
        if len(in_flight) >= ahead:
            load_next()
    while in_flight:
        load_next()


def _release_frames(exc: BaseException) -> None:
    """Drop the locals of the frames a failed load left in ``exc``'s tracebacks: the run's records
    (Prefect's task state among them) keep the exception to the end of the process, and DuckDB
    objects still alive then make its bindings print pages of leak warnings after our last line."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


def _record_unloaded(crawl: Crawl, batch: BatchResult, exc: load.WarehouseUnwritable) -> None:
    reason = f"not loaded: {exc}"
    failures = list(batch.failures)
    failed = {f.url for f in failures}
    for item in batch.articles:
        url = item.article.url
        if url not in failed:
            failures.append(Failure(url, FailureStage.LOAD, reason, kind=ref_for_url(url).kind))
    try:
        load.load_batch(crawl.db_path, crawl.run_id, failures=failures, extractor_version=EXTRACTOR_VERSION)
    except InfrastructureError as again:
        run_logger().error("the batch's pages stay unrecorded, the next run retries them: %s", again)


def _check_archive(root: Path) -> None:
    """Refuse the run before any page is fetched when the archive cannot take a page: a misplaced
    $ETL_ARCHIVE would otherwise fail every page of the day, one by one, and use up their retries."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=root):
            pass
    except OSError as exc:
        raise ArchiveUnwritable(f"cannot archive raw pages in {root}: {exc}") from exc


def _conclude(summary: RunSummary, stop: RunStop, settings: Settings) -> None:
    summary.status = "partial" if summary.failures else "empty" if summary.nothing_to_load else "ok"
    if summary.nothing_to_load:
        summary.message = summary.nothing_to_load
    everything = [*summary.failures, *summary.retry_failures]
    archive_failures = [r for _u, _s, r in everything if r.startswith(ARCHIVE_FAILED)]
    if archive_failures:
        summary.status = "failed"
        summary.infrastructure_trouble = archive_failures[0]
        summary.message = f"{len(archive_failures)} pages failed: {archive_failures[0]}"
    elif stop.deadline_passed and everything:
        summary.message = (
            f"run deadline of {settings.run_deadline:g} s reached; pages not fetched are failures, "
            "retried next run"
        )


def _finish(
    logger: Any, db_path: Path, summary: RunSummary, ended_by: BaseException | None, settings: Settings
) -> None:
    try:
        load.finish_run(
            db_path,
            summary.run_id,
            summary.status,
            summary.counters(),
            summary.message,
            wait_seconds=settings.lock_wait,
        )
    except InfrastructureError as exc:
        logger.error(
            "could not record the end of run %s (the next run marks it aborted): %s", summary.run_id, exc
        )
        if ended_by is None:
            raise
    else:
        if summary.status in PUBLISHED_AFTER and settings.analyst_db:
            publish_analyst_copy(logger, db_path, settings)
    logger.info(
        "%s %s: %s%s",
        summary.flow,
        summary.status,
        ", ".join(f"{k}={v}" for k, v in summary.counters().items()),
        f" ({terminal_line(summary.message)})" if summary.message else "",
    )
    for limit in summary.limits:
        logger.warning("limit reached: %s", terminal_line(limit))
    if summary.generic:
        logger.warning(
            "%d articles read by the generic fallback (no template knows their layout): %s",
            len(summary.generic),
            ", ".join(terminal_line(u) for u in summary.generic[:5]),
        )
    try:
        publish_markdown(summary.flow.replace("_", "-"), summary.as_markdown(), "run summary")
    except Exception as exc:  # the summary artifact is a convenience; never fail a run for it
        logger.debug("could not create the summary artifact: %s", exc)


# Runs that end with these statuses publish the analyst copy (a backfill publishes after each day,
# since each day is a daily_epaper run); a failed or interrupted run leaves the last copy as it was.
PUBLISHED_AFTER = ("ok", "partial")


def publish_analyst_copy(logger: Any, db_path: Path, settings: Settings) -> None:
    """Publish the analyst copy. The run's pages are loaded whatever happens here: a copy that cannot
    be written is logged and left to the next run, never a failed run."""
    try:
        published = load.publish(db_path, settings.analyst_db, wait_seconds=settings.lock_wait)
    except Exception as exc:  # the copy is a convenience over the loaded warehouse; never fail a run for it
        logger.error(
            "analyst copy %s not published (the next run publishes it): %s",
            settings.analyst_db,
            _one_line(exc),
        )
        return
    logger.info("published the analyst copy %s", published)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, InfrastructureError | RunInterrupted):
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
