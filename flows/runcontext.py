"""Where a flow runs: inside a Prefect flow run, or as a plain call of its function.

`etl run`, `ingest` and `portal` call a flow's function directly (`flow.fn`) when no Prefect API is
configured: a temporary Prefect server costs seconds per command and a task run tens of
milliseconds, most of a fast mirror's crawl. The flows stay the same code either way: they log
through `run_logger()`, call their tasks through `step()` and publish their summary through
`publish_markdown()`, each of which uses Prefect inside a flow run and the plain equivalent outside
one (the `etl` loggers, the task's function with the task's retries, nothing).

Nothing here imports Prefect until a flow run needs it: importing Prefect costs about a second of CPU,
more than the rest of a lean `etl run`'s start-up. So the batch tasks are `BatchTask`s, plain
functions that become Prefect tasks on first use inside a flow run, and a process that never
imported Prefect is in no flow run.
"""

from __future__ import annotations

import functools
import importlib
import logging
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, cast

from etl.load import WarehouseUnwritable
from etl.outcome import RunInterrupted

if TYPE_CHECKING:
    from prefect import Flow, Task

P = ParamSpec("P")
R = TypeVar("R")

# Outside a flow run the flows log here; the command line gives the `etl` loggers a console handler.
PLAIN_LOGGER = "etl.flows"

# A retry would not help these: a full disk or read-only warehouse stays so, a stopped run stops.
NOT_RETRIED: tuple[type[BaseException], ...] = (WarehouseUnwritable, RunInterrupted)


def in_flow_run() -> bool:
    if "prefect.context" not in sys.modules:
        return False  # Prefect was never imported: no flow run can have started
    from prefect.context import FlowRunContext, TaskRunContext

    return FlowRunContext.get() is not None or TaskRunContext.get() is not None


def run_logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    """Prefect's run logger inside a flow or task run, else the `etl.flows` logger."""
    if in_flow_run():
        from prefect import get_run_logger

        return cast("logging.LoggerAdapter[logging.Logger]", get_run_logger())
    return logging.getLogger(PLAIN_LOGGER)


RetryDelays = float | Sequence[float] | None


class BatchTask(Generic[P, R]):
    """A batch task of the flows, declared without importing Prefect: `fn` with the task options
    it runs with inside a flow run (`prefect_task`, made on first use there). Call it through
    `step()`."""

    def __init__(
        self,
        fn: Callable[P, R],
        *,
        name: str,
        retries: int,
        retry_delay_seconds: RetryDelays,
        retry_condition_fn: Callable[..., bool] | None = None,
    ) -> None:
        self.fn = fn
        self.name = name
        self.retries = retries
        self.retry_delay_seconds = retry_delay_seconds
        self.retry_condition_fn = retry_condition_fn
        self._task: Task[P, R] | None = None
        self._lock = threading.Lock()

    @property
    def prefect_task(self) -> Task[P, R]:
        with self._lock:
            if self._task is None:
                from prefect import task
                from prefect.cache_policies import NO_CACHE

                delays = self.retry_delay_seconds
                options: dict[str, Any] = {
                    "name": self.name,
                    # Tasks take the run's Crawl context (fetcher, archive) directly: never cached.
                    "cache_policy": NO_CACHE,
                    "retries": self.retries,
                    "retry_condition_fn": self.retry_condition_fn,
                }
                if delays is not None:
                    options["retry_delay_seconds"] = (
                        delays if isinstance(delays, int | float) else list(delays)
                    )
                self._task = task(**options)(self.fn)
            return self._task


def batch_task(
    *,
    name: str,
    retries: int,
    retry_delay_seconds: RetryDelays,
    retry_condition_fn: Callable[..., bool] | None = None,
) -> Callable[[Callable[P, R]], BatchTask[P, R]]:
    """Declare a batch task (see `BatchTask`); the options are Prefect's `@task` options."""

    def declare(fn: Callable[P, R]) -> BatchTask[P, R]:
        return BatchTask(
            fn,
            name=name,
            retries=retries,
            retry_delay_seconds=retry_delay_seconds,
            retry_condition_fn=retry_condition_fn,
        )

    return declare


def step(task: Task[P, R] | BatchTask[P, R]) -> Callable[P, R]:
    """The task as the flow calls it: a Prefect task run inside a flow run; outside one, its function,
    retried as the task would be (its `retries` and `retry_delay_seconds`, never for `NOT_RETRIED`)."""
    if in_flow_run():
        return cast("Callable[P, R]", task.prefect_task if isinstance(task, BatchTask) else task)
    return _with_retries(task)


def _with_retries(task: Task[P, R] | BatchTask[P, R]) -> Callable[P, R]:
    delays = _retry_delays(task)
    fn = task.fn

    @functools.wraps(fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        for delay in delays:
            try:
                return fn(*args, **kwargs)
            except NOT_RETRIED:
                raise
            except Exception as exc:
                logging.getLogger(PLAIN_LOGGER).warning(
                    "%s failed, retrying in %g s: %s", task.name, delay, " ".join(str(exc).split())
                )
                time.sleep(delay)
        return fn(*args, **kwargs)

    return call


def _retry_delays(task: Task[Any, Any] | BatchTask[Any, Any]) -> list[float]:
    retries = task.retries or 0
    configured = task.retry_delay_seconds
    if configured is None:
        return [0.0] * retries
    if isinstance(configured, int | float):
        return [float(configured)] * retries
    listed = [float(d) for d in configured]
    # Prefect reuses the last delay when there are more retries than delays.
    return [listed[min(i, len(listed) - 1)] for i in range(retries)] if listed else [0.0] * retries


def publish_markdown(key: str, markdown: str, description: str) -> None:
    """A Prefect markdown artifact inside a flow run; outside one there is nowhere to show it."""
    if not in_flow_run():
        return
    from prefect.artifacts import create_markdown_artifact

    create_markdown_artifact(key=key, markdown=markdown, description=description)


@dataclass(frozen=True)
class FlowEntry:
    """A flow as a command starts it: its function, called in the command's process when no Prefect
    API is configured, and where its Prefect flow is defined (`module:name`), imported only when a
    flow run is wanted, so that a lean run never imports Prefect."""

    fn: Callable[..., Any]
    flow_path: str

    def flow(self) -> Flow[..., Any]:
        module, name = self.flow_path.split(":")
        return cast("Flow[..., Any]", getattr(importlib.import_module(module), name))
