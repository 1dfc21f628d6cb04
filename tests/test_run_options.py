"""One home for each run option's default (etl.config.RunOptions): the `etl` options, the flows'
parameters and the deployments read it from there, and one function prepares Prefect's environment."""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
import subprocess
import sys

import click
import pytest

from etl.cli import main
from etl.config import RUN_DEFAULTS, RunOptions, RunParameters
from flows.epaper import daily_epaper
from flows.ingest import ingest_urls
from flows.portal import portal_news

CRAWL_COMMANDS = ("run", "ingest", "portal")
SHARED_OPTIONS = ["delay", "refresh", "lock_wait", "accept_changes", "run_deadline"]
FLOWS = (daily_epaper, ingest_urls, portal_news)


def test_the_flow_parameters_are_the_run_options_by_name() -> None:
    names = [f.name for f in dataclasses.fields(RunOptions)]
    assert list(RunParameters.__annotations__) == names
    assert list(RUN_DEFAULTS.flow_parameters()) == names
    given = RunOptions(delay=0.5, refresh=True, batch_size=7, run_deadline=30.0)
    assert RunOptions(**given.flow_parameters()) == given
    json.dumps(given.flow_parameters())  # Prefect stores flow parameters as JSON


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_every_flow_takes_each_run_option_with_its_default(flow: object) -> None:
    signature = inspect.signature(flow.fn)  # type: ignore[attr-defined]
    defaults = {name: p.default for name, p in signature.parameters.items()}
    assert {name: defaults[name] for name in RunParameters.__annotations__} == RUN_DEFAULTS.flow_parameters()


@pytest.mark.parametrize("command", CRAWL_COMMANDS)
def test_every_crawl_command_offers_the_run_options_with_their_defaults(command: str) -> None:
    params = {p.name: p for p in main.commands[command].params if isinstance(p, click.Option)}
    given = {
        name: params[name].default
        for name in ("delay", "refresh", "lock_wait", "accept_changes", "run_deadline")
    }
    assert given == {name: getattr(RUN_DEFAULTS, name) for name in given}
    # The shared options come after the command's own, as they always did in --help.
    names = [p.name for p in main.commands[command].params]
    assert names[-len(SHARED_OPTIONS) :] == SHARED_OPTIONS


def test_importing_the_flows_prepares_prefect_without_overriding_the_operator() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_LOGGING_EXTRA_LOGGERS"] = "etl,urllib3"
    script = (
        "import os, sys, flows\n"
        "assert 'prefect' not in sys.modules\n"
        "print(*(os.environ[k] for k in ('PREFECT_SERVER_ANALYTICS_ENABLED',"
        " 'PREFECT_LOGGING_EXTRA_LOGGERS', 'PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW')))"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["false", "etl,urllib3", "ignore"]
