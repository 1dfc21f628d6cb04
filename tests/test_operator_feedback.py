"""What a data engineer sees of a run in the Prefect UI: the fetch stage's warnings in the flow run's
logs, the end of a day's 版面 as information, and a progress artifact. Real flow runs against the
session's Prefect test server and a fault server on 127.0.0.1, read back through the Prefect client."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultserver import Fault, FaultServer, FaultSpec

DAY = "2025-09-03"
SITE = Path(__file__).parent / "fixtures" / "site"
ARTICLE = "/rmrb/pc/content/202509/03/content_30170118.html"


@pytest.fixture()
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Retries without backoff waits: the test is about what is logged, not about waiting."""
    for name in ("ETL_BACKOFF_BASE", "ETL_JITTER"):
        monkeypatch.setenv(name, "0")
    for name in ("ETL_DB", "ETL_ARCHIVE", "ETL_RUN_DEADLINE", "ETL_MAX_ATTEMPTS"):
        monkeypatch.delenv(name, raising=False)
    yield


def _flow_run_logs(run_id: str) -> list[tuple[int, str]]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=30)  # log lines are sent in batches, in the background
    with get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[uuid.UUID(run_id)])))
    return [(log.level, log.message) for log in logs]


@pytest.mark.slow
def test_fetch_warnings_and_progress_reach_the_prefect_ui(
    prefect_harness: None, quick_retries: None, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterType

    from flows.common import summary_of
    from flows.epaper import daily_epaper
    from flows.ingest import ingest_urls

    with FaultServer(root=SITE) as site:
        page = (SITE / ARTICLE.lstrip("/")).read_bytes()
        site.route(ARTICLE, FaultSpec(body=page, faults=[Fault.error(503)]))
        summary = daily_epaper(date=DAY, db=str(tmp_path / "w.duckdb"), base_url=site.base_url, delay=0)
        missing = site.url("/n1/2025/0903/c1004-1.html")
        # The missing page fails the ingest's own scope: its run ends Failed, its summary the state's data.
        ingested = summary_of(
            ingest_urls(
                urls=[missing], db=str(tmp_path / "w.duckdb"), delay=0, retry_failed=False, return_state=True
            )
        )
    assert summary.status == "ok" and summary.counts.articles_loaded == 5

    logs = _flow_run_logs(summary.run_id)
    # The retry happened on one of the fetcher's worker threads, outside the task's own thread.
    retried = [(level, m) for level, m in logs if ARTICLE in m and "attempt 1/4 failed (HTTP 503)" in m]
    assert [level for level, _ in retried] == [logging.WARNING]
    # The probe's 404 past the last 版面 is how a day ends: information, never a warning.
    end_of_day = [(level, m) for level, m in logs if "版面 4: HTTP 404" in m]
    assert [level for level, _ in end_of_day] == [logging.INFO]
    # Without the test site's address: its ephemeral port may contain 404 too (port 40429 did).
    warned = [m.replace(site.base_url, "") for level, m in logs if level >= logging.WARNING]
    assert not [m for m in warned if "404" in m or "node_04" in m]

    # A 404 anywhere else is worth a warning.
    elsewhere = _flow_run_logs(ingested.run_id)
    assert any(level == logging.WARNING and missing in m and "not_found" in m for level, m in elsewhere)

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[uuid.UUID(summary.run_id)]),
                type=ArtifactFilterType(any_=["progress"]),
            )
        )
    assert [(a.key, a.data) for a in artifacts] == [(f"daily-epaper-{DAY}-articles-progress", 100.0)]
