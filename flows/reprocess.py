"""reprocess_archive: every archived article of a date range read again with the current parser,
cleaner and extractor, without the network, and its rows replaced where they changed.

Batches of articles are read by a Prefect task each (never one per page) on the run's task runner:
one thread by default, a local Dask cluster of `workers` processes, or an existing Dask cluster at
`dask_address`. Loading stays in the flow process, the warehouse's single writer: one transaction
per batch, in the order the batches were planned.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run

from etl import load, parse
from etl.config import (
    RUN_DEFAULTS,
    RunOptions,
    SettingError,
    Settings,
    check_count,
    check_issue_date,
    check_task_runner,
)
from etl.extract import EXTRACTOR_VERSION
from etl.fetch import RawArchive
from etl.fetch.deadline import RunStop
from etl.indicator_changes import IndicatorChanges
from etl.models import ArchivedArticle
from etl.outcome import InfrastructureError, RunInterrupted, raise_if_stopped, stop_on_signals
from etl.parse import GENERIC_TEMPLATE
from etl.reprocess import ReprocessedBatch, plan, reprocess_batch
from etl.text_safety import markdown_cell, terminal_line
from flows.common import PUBLISHED_AFTER, publish_analyst_copy
from flows.concurrency import warehouse_writer
from flows.progress import progress
from flows.runners import BATCHES_IN_FLIGHT_PER_WORKER, parallelism, task_runner_for
from flows.tasks import retry_unless_unwritable

# Articles per task run. Reading an article from the archive takes tens of milliseconds, so a batch
# of this size keeps Prefect's per-task cost (a few tens of ms) and a Dask round trip small beside
# the work, while a killed run loses little and each warehouse transaction stays short.
REPROCESS_BATCH_SIZE = 50

# Metrics listed in the run summary (the `runs` row keeps this many too, the most changed first).
TOP_METRICS = 20

FLOW_NAME = "reprocess_archive"


@dataclass(slots=True)
class ReprocessSummary:
    """What a reprocess run did; shaped like a crawl's RunSummary where the `etl` report reads it."""

    run_id: str
    flow: str = FLOW_NAME
    status: str = "running"
    counts: load.ReplaceCounts = field(default_factory=load.ReplaceCounts)
    changes: IndicatorChanges = field(default_factory=IndicatorChanges)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (url, stage, reason)
    generic: list[str] = field(default_factory=list)  # articles read by the generic fallback
    message: str | None = None
    infrastructure_trouble: str | None = None
    pages_fetched: int = 0  # nothing is fetched: the run reads the archive only
    pages_not_modified: int = 0
    # A reprocess retries no earlier failures and reaches no crawl cap: empty, for the shared report.
    limits: list[str] = field(default_factory=list)
    older: set[str] = field(default_factory=set)
    retry_failures: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Whether a page of the range could not be reprocessed, or the run itself failed."""
        return bool(self.failures) or self.status == "failed"

    def record(self, batch: ReprocessedBatch, counts: load.ReplaceCounts) -> None:
        self.counts.articles_loaded += counts.articles_loaded
        self.counts.articles_unchanged += counts.articles_unchanged
        self.counts.images_loaded += counts.images_loaded
        self.counts.indicators_loaded += counts.indicators_loaded
        self.counts.failures_recorded += counts.failures_recorded
        self.changes.articles_reprocessed += len(batch.articles)
        for article in counts.rewritten:
            self.changes.count_article(article.before, article.after)
        self.generic.extend(a.article.url for a in batch.articles if a.article.template == GENERIC_TEMPLATE)
        self.failures.extend((f.url, str(f.stage), f.reason) for f in batch.failures)
        self.failures.extend((f.url, str(f.stage), f.reason) for f in counts.suspicious_changes)

    def counters(self) -> dict[str, int]:
        """The run's counters, as `runs` stores them (`load.RUN_COUNTERS`, in that order)."""
        values = {
            "pages_fetched": 0,
            "pages_not_modified": 0,
            "articles_loaded": self.counts.articles_loaded,
            "articles_unchanged": self.counts.articles_unchanged,
            "images_loaded": self.counts.images_loaded,
            "indicators_loaded": self.counts.indicators_loaded,
            "failures": len(self.failures),
            "retried": 0,
            "retry_failures": 0,
            "pages_skipped_unchanged": 0,  # a reprocess reads every page in its range again
        }
        return {name: values[name] for name in load.RUN_COUNTERS}

    def change_lines(self) -> list[str]:
        """What changed, for the terminal: one line in all, then one per metric (the top ones)."""
        c = self.changes
        lines = [
            f"reprocessed {c.articles_reprocessed} archived articles: {self.counts.articles_loaded} "
            f"rewritten, {c.articles_changed} with changed indicators, "
            f"{c.added} indicator rows added, {c.removed} removed"
        ]
        top = c.by_metric()
        lines += [f"  {m.metric}: +{m.added} -{m.removed}" for m in top[:TOP_METRICS]]
        if len(top) > TOP_METRICS:
            lines.append(f"  … and {len(top) - TOP_METRICS} more metrics")
        return lines

    def as_markdown(self) -> str:
        lines = [f"# {self.flow} run {self.run_id}: {self.status}", ""]
        if self.message:
            lines += [markdown_cell(self.message, max_chars=1000), ""]
        lines += ["| counter | value |", "|---|---|"]
        counters = {**self.changes.counters(), **self.counters()}
        lines += [f"| {k} | {v} |" for k, v in counters.items()]
        top = self.changes.by_metric()
        if top:
            lines += [
                "",
                "## Indicator changes by metric",
                "",
                "| metric | added | removed |",
                "|---|---|---|",
            ]
            # Metric names come from the crawled text: shown as text, never as markup.
            lines += [f"| {markdown_cell(m.metric)} | {m.added} | {m.removed} |" for m in top[:TOP_METRICS]]
        if self.failures:
            lines += ["", "## Failures", "", "| url | stage | reason |", "|---|---|---|"]
            lines += [
                f"| {markdown_cell(u)} | {markdown_cell(s)} | {markdown_cell(r)} |"
                for u, s, r in self.failures
            ]
        return "\n".join(lines)


@task(name="reprocess-archived-articles", cache_policy=NO_CACHE)
def reprocess_articles(items: list[ArchivedArticle], archive_root: str) -> ReprocessedBatch:
    """Read one batch of archived articles again: parse, clean, extract. No network, no warehouse."""
    batch = reprocess_batch(items, archive_root)
    logger = get_run_logger()
    for failure in batch.failures:
        logger.warning(
            "%s failed at %s: %s", terminal_line(failure.url), failure.stage, terminal_line(failure.reason)
        )
    return batch


@task(
    name="load-reprocessed-batch",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=[5, 30],
    retry_condition_fn=retry_unless_unwritable,
)
def load_reprocessed(
    db_path: Path, run_id: str, batch: ReprocessedBatch, accept_changes: bool
) -> load.ReplaceCounts:
    """One warehouse transaction: the batch's articles replace their rows where they changed."""
    counts = load.replace_articles(
        db_path,
        run_id,
        articles=batch.articles,
        failures=batch.failures,
        extractor_version=EXTRACTOR_VERSION,
        parser_version=parse.PARSER_VERSION,
        accept_changes=accept_changes,
    )
    get_run_logger().info(
        "%d articles rewritten, %d unchanged; %d indicators written; %d failures recorded",
        counts.articles_loaded,
        counts.articles_unchanged,
        counts.indicators_loaded,
        counts.failures_recorded,
    )
    return counts


def _date(name: str, value: str | None) -> dt.date | None:
    return check_issue_date(name, value) if value else None


def _batches(items: Sequence[ArchivedArticle], size: int) -> list[list[ArchivedArticle]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, InfrastructureError | RunInterrupted):
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@flow(name=FLOW_NAME, log_prints=False, retries=0)
def reprocess_archive(
    since: str | None = None,
    until: str | None = None,
    db: str | None = None,
    workers: int = 1,
    dask_address: str | None = None,
    batch_size: int = REPROCESS_BATCH_SIZE,
    lock_wait: float = RUN_DEFAULTS.lock_wait,
    accept_changes: bool = False,
) -> ReprocessSummary:
    """Read every archived article published from `since` to `until` (YYYY-MM-DD, inclusive, either
    open) again with the current code, and replace the rows of those whose rows changed, stamped
    with the current extractor version. Nothing is fetched. A page whose archived copy is missing or
    damaged becomes a failure (the next crawl downloads it again) and the run goes on. Re-running it
    rewrites nothing."""
    logger = get_run_logger()
    start, end = _date("since", since), _date("until", until)
    if start and end and start > end:
        raise SettingError(f"bad setting since={since!r}: must not be after until={until!r}")
    check_task_runner(workers, dask_address)
    check_count("batch_size", batch_size)
    settings = Settings.from_options(db, RunOptions(lock_wait=lock_wait, accept_changes=accept_changes))
    db_path = Path(settings.db_path)
    archive_root = str(Path(settings.archive_dir).resolve())  # Dask workers may run elsewhere
    params: dict[str, Any] = {
        "since": since,
        "until": until,
        "workers": workers,
        "dask_address": dask_address,
    }
    if accept_changes:
        params["accept_changes"] = True

    # Like a crawl, a reprocess writes the warehouse: it takes its turn with the deployments that do.
    with (
        warehouse_writer(settings.run_deadline, logger),
        load.run_lock(db_path, wait_seconds=settings.lock_wait),
    ):
        run_id = str(flow_run.get_id() or uuid.uuid4().hex)
        stop = RunStop()
        with stop_on_signals(stop):
            load.start_run(db_path, run_id, FLOW_NAME, params)
            summary = ReprocessSummary(run_id=run_id)
            ended_by: BaseException | None = None
            try:
                selection = load.archived_pages(db_path, start, end)
                items, planned_failures = plan(
                    selection.articles,
                    selection.continuations,
                    selection.layouts,
                    RawArchive(Path(archive_root)),
                )
                logger.info(
                    "%d archived articles to read again (%d continuation pages, %d 版面 pages)",
                    len(items),
                    len(selection.continuations),
                    len(selection.layouts),
                )
                if planned_failures:
                    planned = ReprocessedBatch(failures=planned_failures)
                    summary.record(planned, load_reprocessed(db_path, run_id, planned, accept_changes))
                with task_runner_for(workers, dask_address) as runner:
                    in_flight: deque[PrefectFuture[ReprocessedBatch]] = deque()
                    ahead = BATCHES_IN_FLIGHT_PER_WORKER * parallelism(runner)

                    def load_next() -> None:
                        batch = in_flight.popleft().result()
                        raise_if_stopped(stop)  # a stopped run loads nothing more
                        summary.record(batch, load_reprocessed(db_path, run_id, batch, accept_changes))

                    chunks = _batches(items, batch_size)
                    with progress(len(chunks), "reprocess: batches of archived articles") as bar:
                        for chunk in chunks:
                            raise_if_stopped(stop)
                            in_flight.append(
                                runner.submit(
                                    reprocess_articles, {"items": chunk, "archive_root": archive_root}
                                )
                            )
                            if len(in_flight) >= ahead:
                                load_next()
                                bar.update(1)
                        while in_flight:
                            load_next()
                            bar.update(1)
                summary.status = "partial" if summary.failures else "ok"
            except BaseException as exc:
                ended_by = exc
                summary.status = "interrupted" if isinstance(exc, RunInterrupted) else "failed"
                summary.message = _one_line(exc)
                raise
            finally:
                _finish(summary, db_path, ended_by)
        if summary.status in PUBLISHED_AFTER:
            publish_analyst_copy(logger, db_path, settings)
    return summary


def _finish(summary: ReprocessSummary, db_path: Path, ended_by: BaseException | None) -> None:
    logger = get_run_logger()
    try:
        load.record_reprocess_counts(
            db_path, summary.run_id, summary.changes.counters(), summary.changes.metric_json(TOP_METRICS)
        )
        load.finish_run(db_path, summary.run_id, summary.status, summary.counters(), summary.message)
    except InfrastructureError as exc:
        logger.error(
            "could not record the end of run %s (the next run marks it aborted): %s", summary.run_id, exc
        )
        if ended_by is None:
            raise
    for line in summary.change_lines():
        logger.info("%s", terminal_line(line))
    try:
        create_markdown_artifact(
            key=FLOW_NAME.replace("_", "-"), markdown=summary.as_markdown(), description="reprocess summary"
        )
    except Exception as exc:  # the summary artifact is a convenience; never fail a run for it
        logger.debug("could not create the summary artifact: %s", exc)
