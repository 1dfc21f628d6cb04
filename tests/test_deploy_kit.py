"""prefect.yaml, read the way `prefect deploy` reads it: each entrypoint loads a flow, schedules and
limits are the intended ones, and the deployments `etl serve` runs say the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from prefect.cli.deploy._models import DeploymentConfig, PrefectYamlModel, RawScheduleConfig
from prefect.flows import Flow, load_flow_from_entrypoint

from etl.config import DEFAULT_RUN_DEADLINE
from flows.common import FLOW_TIMEOUT_SECONDS
from flows.deployments import EPAPER_CRONS, PORTAL_CRON, TIMEZONE, build_deployments
from flows.epaper import daily_epaper
from flows.ingest import ingest_urls
from flows.portal import portal_news

REPO = Path(__file__).resolve().parents[1]
PREFECT_YAML = REPO / "prefect.yaml"
WORK_POOL = "peoples-daily"
# Written alongside this kit; until their files exist their deployments cannot be checked.
FLOWS_IN_PROGRESS = {"flows/reprocess.py", "flows/backfill.py"}
FLOW_NAMES = {"daily-epaper": "daily_epaper", "ingest-urls": "ingest_urls", "portal-news": "portal_news"}
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
    path, _, _func = deployment.entrypoint.partition(":")
    if path in FLOWS_IN_PROGRESS and not (REPO / path).exists():
        pytest.skip(f"{path} is not written yet; its deployment is checked once it is")
    flow = load_flow_from_entrypoint(str(REPO / deployment.entrypoint), use_placeholder_flow=False)
    assert isinstance(flow, Flow)
    if name in FLOW_NAMES:  # the others are named by the modules written alongside
        assert flow.name == FLOW_NAMES[name]

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
        # the same flow object; served entrypoints are absolute, so `etl serve` runs from anywhere
        assert served.entrypoint == f"{REPO / entry.entrypoint}"
        crons = [(s.schedule.cron, s.schedule.timezone) for s in served.schedules]  # type: ignore[union-attr]
        assert crons == EXPECTED[served.name]


@pytest.mark.parametrize("name", ["daily-epaper", "ingest-urls", "portal-news"])
def test_scheduled_flows_have_a_timeout_past_the_run_deadline_and_a_retry(name: str) -> None:
    entrypoint = str(REPO / (_by_name()[name].entrypoint or ""))
    flow = load_flow_from_entrypoint(entrypoint, use_placeholder_flow=False)
    assert flow.timeout_seconds == FLOW_TIMEOUT_SECONDS > DEFAULT_RUN_DEADLINE
    assert (flow.retries, flow.retry_delay_seconds) == (1, 600)


def test_commands_run_the_flows_without_retries() -> None:
    for flow in (daily_epaper, ingest_urls, portal_news):
        assert flow.retries == 0 and flow.timeout_seconds == FLOW_TIMEOUT_SECONDS
