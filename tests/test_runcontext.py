"""Outside a flow run the flows call their tasks' functions, retried as Prefect would retry them."""

from __future__ import annotations

import pytest
from prefect import task

from etl.load import WarehouseUnwritable
from flows.runcontext import in_flow_run, publish_markdown, run_logger, step


def test_a_task_outside_a_flow_run_is_its_function_with_its_retries() -> None:
    calls: list[int] = []

    @task(retries=2, retry_delay_seconds=[0, 0])
    def flaky(n: int) -> int:
        calls.append(n)
        if len(calls) < 3:
            raise OSError("busy")
        return n * 2

    assert not in_flow_run()
    assert step(flaky)(21) == 42
    assert calls == [21, 21, 21]


def test_retries_run_out_and_an_unwritable_warehouse_is_not_retried() -> None:
    calls: list[str] = []

    @task(retries=1, retry_delay_seconds=0)
    def always(kind: str) -> None:
        calls.append(kind)
        raise WarehouseUnwritable("disk full") if kind == "disk" else OSError("busy")

    with pytest.raises(OSError, match="busy"):
        step(always)("busy")
    with pytest.raises(WarehouseUnwritable):
        step(always)("disk")
    assert calls == ["busy", "busy", "disk"]


def test_outside_a_flow_run_logs_go_to_the_etl_loggers_and_artifacts_nowhere() -> None:
    assert run_logger().name == "etl.flows"
    publish_markdown("summary", "# nothing to publish to", "run summary")  # no Prefect API is needed
