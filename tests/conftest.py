from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.config import prepare_prefect_env

# Under pytest-xdist (`make test`) every worker keeps its Prefect settings, local result storage and
# temporary server files apart from the other workers', in a directory of its own under PREFECT_HOME.
if (worker := os.environ.get("PYTEST_XDIST_WORKER")) is not None:
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect") / f"xdist-{worker}"
    home.mkdir(parents=True, exist_ok=True)
    os.environ["PREFECT_HOME"] = str(home)

# Before Prefect is imported anywhere (it reads some of these settings at import).
prepare_prefect_env()

FIXTURES = Path(__file__).parent / "fixtures"
SITE = FIXTURES / "site"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for every flow test of the session (it takes seconds to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """The offline sample site, served on 127.0.0.1."""
    from etl.demo import serve_directory

    with serve_directory(SITE) as base:
        yield base


# The sample site's e-paper day and its two portal articles (as tests/test_flows_e2e.py loads them).
SAMPLE_DAY = "2025-09-03"
SAMPLE_PORTAL_PATHS = ("/n1/2025/0903/c1004-40556677.html", "/n2/2025/0902/c134768-41234567.html")


@pytest.fixture(scope="session")
def sample_warehouse(prefect_harness: None, site_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse loaded by the real flows from the offline sample site, once per session: its
    e-paper day (three 版面, one of them 广告) and two portal articles of two days; its analyst copy
    is published next to it. Tests only read it."""
    from flows.epaper import daily_epaper
    from flows.ingest import ingest_urls

    db = tmp_path_factory.mktemp("sample") / "peoples_daily.duckdb"
    daily_epaper(date=SAMPLE_DAY, db=str(db), base_url=site_url, delay=0)
    ingest_urls(urls=[site_url + p for p in SAMPLE_PORTAL_PATHS], db=str(db), delay=0)
    return db
