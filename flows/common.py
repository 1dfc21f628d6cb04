"""What both flows do around their batches: the run lock, the run row, the fetcher, the summary,
and how a run ends when it cannot finish (a signal, its deadline, the disk)."""

from __future__ import annotations

import tempfile
import traceback
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prefect.runtime import flow_run

from etl import load
from etl.config import Settings
from etl.extract import EXTRACTOR_VERSION
from etl.fetch import Fetcher, RawArchive
from etl.fetch.deadline import RunStop
from etl.fetch.fetcher import ARCHIVE_FAILED
from etl.models import Failure, FailureStage, FetchStatus
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
from flows.runcontext import publish_markdown, run_logger, step
from flows.tasks import BatchResult, Crawl, load_batch


@dataclass(slots=True)
class RunSummary:
    run_id: str
    flow: str
    status: str = "running"
    pages_fetched: int = 0
    pages_not_modified: int = 0
    counts: load.LoadCounts = field(default_factory=load.LoadCounts)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (url, stage, reason)
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
        self.failures.extend((f.url, f.stage, f.reason) for f in batch.failures)
        self.failures.extend((f.url, f.stage, f.reason) for f in counts.suspicious_changes)

    def counters(self) -> dict[str, int]:
        """The run's counters, as `runs` stores them (`load.RUN_COUNTERS`, in that order)."""
        values = {
            "pages_fetched": self.pages_fetched,
            "pages_not_modified": self.pages_not_modified,
            "articles_loaded": self.counts.articles_loaded,
            "articles_unchanged": self.counts.articles_unchanged,
            "images_loaded": self.counts.images_loaded,
            "indicators_loaded": self.counts.indicators_loaded,
            "failures": len(self.failures),
        }
        return {name: values[name] for name in load.RUN_COUNTERS}

    def as_markdown(self) -> str:
        lines = [f"# {self.flow} run {self.run_id}: {self.status}", ""]
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
        if self.limits:
            lines += ["", "## Limits reached", ""] + [f"- {markdown_cell(line)}" for line in self.limits]
        if self.generic:
            lines += ["", "## Read by the generic fallback: these layouts need a template", ""]
            lines += [f"- {markdown_cell(url)}" for url in self.generic]
        return "\n".join(lines)


def _run_id() -> str:
    current = flow_run.get_id()
    return str(current) if current else uuid.uuid4().hex


@contextmanager
def crawl_session(
    flow_name: str, settings: Settings, params: dict[str, Any], extra_hosts: Sequence[str] = ()
) -> Iterator[tuple[Crawl, RunSummary]]:
    """Lock the warehouse for the run, record the run, and close everything whatever happens.

    The run row always gets a terminal status and, when it did not simply finish, a one-line
    message: ``interrupted`` (SIGTERM/SIGINT), ``failed`` (disk, warehouse, archive, or a bug),
    ``partial`` (pages failed; also when the run deadline left pages unfetched). Only a warehouse
    that cannot take even that write keeps its ``running`` row, which the next run marks aborted.
    """
    logger = run_logger()
    db_path = Path(settings.db_path)
    with load.run_lock(db_path, wait_seconds=settings.lock_wait):
        run_id = _run_id()
        stop = RunStop(settings.run_deadline)
        with stop_on_signals(stop):
            load.start_run(db_path, run_id, flow_name, params)
            summary = RunSummary(run_id=run_id, flow=flow_name)
            archive = RawArchive(Path(settings.archive_dir))
            fetcher = Fetcher(settings.fetch_config(extra_hosts), archive, stop=stop)
            crawl = Crawl(
                run_id=run_id,
                db_path=db_path,
                fetcher=fetcher,
                archive=archive,
                refresh=settings.refresh,
                accept_changes=settings.accept_changes,
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
                _finish(logger, db_path, summary, ended_by)


def load_and_record(crawl: Crawl, summary: RunSummary, batch: BatchResult) -> None:
    """Load one batch in one transaction and count it, unless the run was stopped meanwhile.

    A stopped run raises ``RunInterrupted`` here and the batch is dropped whole: its pages were
    never recorded, so the next run fetches them again. A warehouse that refuses the write ends the
    run; the batch's pages are recorded as failures if the warehouse still takes that smaller write.
    """
    raise_if_stopped(crawl.fetcher.stop)
    try:
        counts = step(load_batch)(crawl, batch)
    except load.WarehouseUnwritable as exc:
        _release_frames(exc)
        _record_unloaded(crawl, batch, exc)
        raise
    summary.record(batch, counts)


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
    summary.status = "partial" if summary.failures else "ok"
    archive_failures = [r for _u, _s, r in summary.failures if r.startswith(ARCHIVE_FAILED)]
    if archive_failures:
        summary.status = "failed"
        summary.infrastructure_trouble = archive_failures[0]
        summary.message = f"{len(archive_failures)} pages failed: {archive_failures[0]}"
    elif stop.deadline_passed and summary.failures:
        summary.message = (
            f"run deadline of {settings.run_deadline:g} s reached; pages not fetched are failures, "
            "retried next run"
        )


def _finish(logger: Any, db_path: Path, summary: RunSummary, ended_by: BaseException | None) -> None:
    try:
        load.finish_run(db_path, summary.run_id, summary.status, summary.counters(), summary.message)
    except InfrastructureError as exc:
        logger.error(
            "could not record the end of run %s (the next run marks it aborted): %s", summary.run_id, exc
        )
        if ended_by is None:
            raise
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


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, InfrastructureError | RunInterrupted):
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
