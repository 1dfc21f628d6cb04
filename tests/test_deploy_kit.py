"""prefect.yaml, read the way `prefect deploy` reads it: each entrypoint loads a flow, schedules and
limits are the intended ones, and the deployments `etl serve` runs say the same."""

from __future__ import annotations

import os
import subprocess
import sys
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


@pytest.mark.slow
def test_prefect_deploy_creates_the_scheduled_deployments(prefect_harness: None) -> None:
    """`prefect deploy` itself, against a real server: the deployments that can be deployed today."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.settings import PREFECT_API_URL

    names = ["daily-epaper", "ingest-urls", "portal-news"]
    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    prefect = str(Path(sys.executable).parent / "prefect")
    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name=WORK_POOL, type="process"), overwrite=True)
        try:
            done = subprocess.run(
                [prefect, "--no-prompt", "deploy", *(f"--name={n}" for n in names)],
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, done.stdout + done.stderr
            deployed = {
                d.name: d
                for d in client.read_deployments()
                if d.work_pool_name == WORK_POOL and d.name in names
            }
            assert sorted(deployed) == sorted(names)
            for name, deployment in deployed.items():
                assert deployment.entrypoint == _by_name()[name].entrypoint
                crons = sorted((s.schedule.cron, s.schedule.timezone) for s in deployment.schedules)  # type: ignore[union-attr]
                assert crons == sorted(EXPECTED[name])
                limit = deployment.global_concurrency_limit
                assert limit is not None and limit.limit == 1
                assert deployment.concurrency_options is not None
                assert deployment.concurrency_options.collision_strategy == "ENQUEUE"
                # the worker runs the flows in the directory `prefect deploy` ran in
                assert deployment.pull_steps == [
                    {"prefect.deployments.steps.set_working_directory": {"directory": str(REPO)}}
                ]
        finally:
            for deployment in client.read_deployments():
                if deployment.work_pool_name == WORK_POOL:
                    client.delete_deployment(deployment.id)
            client.delete_work_pool(WORK_POOL)
