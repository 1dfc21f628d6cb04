"""The automation the README tells operators to create parses as Prefect's own models (the pinned
Prefect's schemas, as `prefect automation create --from-file` reads it) and means what it says:
notify when a run of one of our flows ends Failed or Crashed."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from prefect.automations import Automation
from prefect.events.actions import SendNotification
from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture

README = Path(__file__).resolve().parents[1] / "README.md"
FLOWS = {"daily_epaper", "ingest_urls", "portal_news", "backfill"}


def _documented_spec() -> dict[str, object]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Notifying on failed runs", 1)[1]
    (block,) = re.findall(r"```yaml\n(.*?)```", section.split("\n## ", 1)[0], re.S)
    spec = yaml.safe_load(block)
    assert isinstance(spec, dict)
    return spec


def test_the_documented_automation_parses_with_prefects_models() -> None:
    spec = _documented_spec()
    core = AutomationCore.model_validate(spec)
    assert Automation.model_validate(spec).name == core.name
    trigger = core.trigger
    assert isinstance(trigger, EventTrigger) and trigger.posture is Posture.Reactive
    assert trigger.expect == {"prefect.flow-run.Failed", "prefect.flow-run.Crashed"}
    assert trigger.threshold == 1
    (related,) = trigger.match_related if isinstance(trigger.match_related, list) else [trigger.match_related]
    assert set(related.get("prefect.resource.name", [])) == FLOWS
    (action,) = core.actions
    assert isinstance(action, SendNotification) and "flow_run.state.message" in action.body


def test_the_documented_flow_names_are_the_flows_names() -> None:
    from flows.backfill import backfill
    from flows.epaper import daily_epaper
    from flows.ingest import ingest_urls
    from flows.portal import portal_news

    assert {f.name for f in (daily_epaper, ingest_urls, portal_news, backfill)} == FLOWS
