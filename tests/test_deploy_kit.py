"""prefect.yaml, read the way `prefect deploy` reads it: each entrypoint loads a flow, schedules and
limits are the intended ones, and the deployments `etl serve` runs say the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from prefect.cli.deploy._models import DeploymentConfig, PrefectYamlModel, RawScheduleConfig
from prefect.flows import Flow, load_flow_from_entrypoint

from flows.common import FLOW_TIMEOUT_SECONDS
from flows.deployments import EPAPER_CRONS, PORTAL_CRON, TIMEZONE, build_deployments

REPO = Path(__file__).resolve().parents[1]
PREFECT_YAML = REPO / "prefect.yaml"
WORK_POOL = "peoples-daily"
# Written alongside this kit; until their files exist their deployments cannot be checked.
FLOWS_IN_PROGRESS = {"flows/reprocess.py", "flows/backfill.py"}
EXPECTED = {
    "daily-epaper": [(cron, TIMEZONE) for cron in EPAPER_CRONS],
    "ingest-urls": [],
    "portal-news": [(PORTAL_CRON, TIMEZONE)],
    "reprocess": [],
    "backfill": [],
}


def _project() -> PrefectYamlModel:
    raw = yaml.safe_load(PREFECT_YAML.read_text(encoding="utf-8"))
    return PrefectYamlModel.model_validate(raw)


def _by_name() -> dict[str, DeploymentConfig]:
    return {d.name or "": d for d in _project().deployments}


def test_prefect_yaml_declares_every_deployment_once() -> None:
    names = [d.name for d in _project().deployments]
    assert sorted(names) == sorted(EXPECTED)  # type: ignore[type-var]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_deployment_loads_its_flow_and_has_its_schedules(name: str) -> None:
    deployment = _by_name()[name]
    assert deployment.entrypoint is not None
    path, _, func = deployment.entrypoint.partition(":")
    if path in FLOWS_IN_PROGRESS and not (REPO / path).exists():
        pytest.skip(f"{path} is not written yet; its deployment is checked once it is")
    flow = load_flow_from_entrypoint(str(REPO / deployment.entrypoint), use_placeholder_flow=False)
    assert isinstance(flow, Flow) and flow.fn.__name__ == func

    schedules: list[Any] = deployment.schedules or []
    assert all(isinstance(s, RawScheduleConfig) for s in schedules)
    assert [(s.cron, s.timezone) for s in schedules] == EXPECTED[name]

    assert deployment.work_pool is not None and deployment.work_pool.name == WORK_POOL
    limit: Any = deployment.concurrency_limit
    assert (limit.limit, limit.collision_strategy) == (1, "ENQUEUE")


def test_served_deployments_match_prefect_yaml() -> None:
    declared = _by_name()
    for served in build_deployments():
        entry = declared[served.name]
        assert entry.entrypoint and served.entrypoint
        # served entrypoints are module paths (flows.epaper:daily_epaper) or file paths
        assert entry.entrypoint.split(":")[1] == served.entrypoint.split(":")[1]
        crons = [(s.schedule.cron, s.schedule.timezone) for s in served.schedules]  # type: ignore[union-attr]
        assert crons == EXPECTED[served.name]


@pytest.mark.parametrize("name", ["daily-epaper", "ingest-urls", "portal-news"])
def test_flows_have_a_timeout_past_the_run_deadline_and_a_retry(name: str) -> None:
    flow = load_flow_from_entrypoint(
        str(REPO / (_by_name()[name].entrypoint or "")), use_placeholder_flow=False
    )
    assert flow.timeout_seconds == FLOW_TIMEOUT_SECONDS
    assert flow.retries == 1 and flow.retry_delay_seconds
