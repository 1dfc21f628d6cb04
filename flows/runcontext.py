"""Where a flow runs: inside a Prefect flow run, or as a plain call of its function.

`etl run`, `ingest` and `portal` call a flow's function directly (`flow.fn`) when no Prefect API is
configured: a temporary Prefect server costs seconds per command and a task run tens of
milliseconds, most of a fast mirror's crawl. The flows stay the same code either way: they log
through `run_logger()`, call their tasks through `step()` and publish their summary through
`publish_markdown()`, each of which uses Prefect inside a flow run and the plain equivalent outside
one (the `etl` loggers, the task's function with the task's retries, nothing).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

from prefect import Task, get_run_logger
from prefect.context import FlowRunContext, TaskRunContext

from etl.load import WarehouseUnwritable
from etl.outcome import RunInterrupted

P = ParamSpec("P")
R = TypeVar("R")

# Outside a flow run the flows log here; the command line gives the `etl` loggers a console handler.
PLAIN_LOGGER = "etl.flows"

# A retry would not help these: a full disk or read-only warehouse stays so, a stopped run stops.
NOT_RETRIED: tuple[type[BaseException], ...] = (WarehouseUnwritable, RunInterrupted)


def in_flow_run() -> bool:
    return FlowRunContext.get() is not None or TaskRunContext.get() is not None


def run_logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    """Prefect's run logger inside a flow or task run, else the `etl.flows` logger."""
    if in_flow_run():
        return cast("logging.LoggerAdapter[logging.Logger]", get_run_logger())
    return logging.getLogger(PLAIN_LOGGER)


def step(task: Task[P, R]) -> Callable[P, R]:
    """The task as the flow calls it: a Prefect task run inside a flow run; outside one, its function,
    retried as the task would be (its `retries` and `retry_delay_seconds`, never for `NOT_RETRIED`)."""
    if in_flow_run():
        return cast("Callable[P, R]", task)
    return _with_retries(task)


def _with_retries(task: Task[P, R]) -> Callable[P, R]:
    delays = _retry_delays(task)

    @functools.wraps(task.fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        for delay in delays:
            try:
                return task.fn(*args, **kwargs)
            except NOT_RETRIED:
                raise
            except Exception as exc:
                logging.getLogger(PLAIN_LOGGER).warning(
                    "%s failed, retrying in %g s: %s", task.name, delay, " ".join(str(exc).split())
                )
                time.sleep(delay)
        return task.fn(*args, **kwargs)

    return call


def _retry_delays(task: Task[Any, Any]) -> list[float]:
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
