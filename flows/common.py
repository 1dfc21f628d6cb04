"""What both flows do around their batches: the run lock, the run row, the fetcher, the summary."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run

from etl import load
from etl.config import Settings
from etl.fetch import Fetcher, RawArchive
from etl.models import FetchStatus
from etl.parse import GENERIC_TEMPLATE
from etl.text_safety import markdown_cell, terminal_line
from flows.tasks import BatchResult, Crawl


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
        return {
            "pages_fetched": self.pages_fetched,
            "pages_not_modified": self.pages_not_modified,
            "articles_loaded": self.counts.articles_loaded,
            "articles_unchanged": self.counts.articles_unchanged,
            "images_loaded": self.counts.images_loaded,
            "indicators_loaded": self.counts.indicators_loaded,
            "failures": len(self.failures),
        }

    def as_markdown(self) -> str:
        lines = [f"# {self.flow} run {self.run_id}: {self.status}", "", "| counter | value |", "|---|---|"]
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
    """Lock the warehouse for the run, record the run, and close everything whatever happens."""
    logger = get_run_logger()
    db_path = Path(settings.db_path)
    with load.run_lock(db_path, wait_seconds=settings.lock_wait):
        run_id = _run_id()
        load.start_run(db_path, run_id, flow_name, params)
        summary = RunSummary(run_id=run_id, flow=flow_name)
        archive = RawArchive(Path(settings.archive_dir))
        fetcher = Fetcher(settings.fetch_config(extra_hosts), archive)
        crawl = Crawl(
            run_id=run_id,
            db_path=db_path,
            fetcher=fetcher,
            archive=archive,
            refresh=settings.refresh,
            accept_changes=settings.accept_changes,
        )
        try:
            yield crawl, summary
            summary.status = "partial" if summary.failures else "ok"
        except BaseException:
            summary.status = "failed"
            raise
        finally:
            fetcher.close()
            load.finish_run(db_path, run_id, summary.status, summary.counters())
            logger.info(
                "%s %s: %s",
                flow_name,
                summary.status,
                ", ".join(f"{k}={v}" for k, v in summary.counters().items()),
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
                create_markdown_artifact(
                    key=flow_name.replace("_", "-"), markdown=summary.as_markdown(), description="run summary"
                )
            except Exception as exc:  # the summary artifact is a convenience; never fail a run for it
                logger.debug("could not create the summary artifact: %s", exc)
