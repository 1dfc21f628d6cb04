"""Where a run parses and extracts: in its own process, on a local Dask cluster, or on an existing one.

Fetching stays in the flow process, whose fetcher keeps the per-host politeness, and loading stays
with the warehouse's single writer; only the pure middle (parse, clean, extract a batch of fetched
or archived pages) goes to the task runner. A backfill opens its runner once and every daily run
inside it uses that one, rather than starting a cluster per day.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from etl.config import check_task_runner
from flows.runcontext import run_logger

if TYPE_CHECKING:
    from prefect.task_runners import TaskRunner

# Batches read ahead of the loader per worker: enough to keep every worker busy while the flow
# fetches and loads, few enough that a long range never holds more than a handful in memory.
BATCHES_IN_FLIGHT_PER_WORKER = 2

# The runner a flow opened for the runs it starts (a backfill's daily runs): (workers, address).
_OPEN_RUNNER: ContextVar[tuple[tuple[int, str | None], TaskRunner[Any]] | None] = ContextVar(
    "open_runner", default=None
)


def task_runner_for(workers: int, dask_address: str | None) -> TaskRunner[Any]:
    """One thread without Dask by default; a local Dask cluster of `workers` processes; or the
    Dask cluster at `dask_address` (its workers must see the archive at the same path)."""
    from prefect.client.orchestration import get_client
    from prefect.task_runners import ThreadPoolTaskRunner

    check_task_runner(workers, dask_address)
    if dask_address is None and workers == 1:
        return ThreadPoolTaskRunner(max_workers=1)
    from prefect_dask.task_runners import DaskTaskRunner

    if dask_address is not None:
        return DaskTaskRunner(address=dask_address)
    # The local scheduler runs in this process and logs every worker and connection at INFO.
    logging.getLogger("distributed").setLevel(logging.WARNING)
    return DaskTaskRunner(
        cluster_kwargs={
            "n_workers": workers,
            "threads_per_worker": 1,  # parsing holds the GIL: processes, not threads, run in parallel
            "processes": True,
            "dashboard_address": ":0",  # any free port: engineers share machines
            # The workers report their task runs to this run's Prefect API: without it, each would
            # start a temporary server of its own when the run has one (no PREFECT_API_URL).
            "env": {"PREFECT_API_URL": str(get_client().api_url).rstrip("/")},
        }
    )


def parallelism(runner: TaskRunner[Any]) -> int:
    """How many batches the runner reads at once: one thread, or the Dask cluster's threads."""
    from prefect_dask.task_runners import DaskTaskRunner

    if isinstance(runner, DaskTaskRunner):
        return max(1, sum(runner.client.nthreads().values()))  # type: ignore[no-untyped-call]
    return 1


@contextmanager
def processing_runner(workers: int, dask_address: str | None) -> Iterator[TaskRunner[Any] | None]:
    """The Dask runner a crawl reads its pages on, or None to read them in the flow's own process
    (one worker and no address: no cluster to start, no pages to ship, nothing of Prefect imported).
    A runner already opened with the same settings by an enclosing flow (a backfill) is used, not
    started again."""
    check_task_runner(workers, dask_address)
    if dask_address is None and workers == 1:
        yield None
        return
    opened = _OPEN_RUNNER.get()
    if opened is not None and opened[0] == (workers, dask_address):
        yield opened[1]
        return
    where = f"the Dask cluster at {dask_address}" if dask_address else f"{workers} local Dask processes"
    run_logger().info("pages are parsed and extracted on %s", where)
    with task_runner_for(workers, dask_address) as runner:
        token = _OPEN_RUNNER.set(((workers, dask_address), runner))
        try:
            yield runner
        finally:
            _OPEN_RUNNER.reset(token)
