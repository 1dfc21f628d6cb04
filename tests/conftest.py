from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Set before Prefect is imported anywhere: ephemeral mode prints a spurious "database is locked"
# traceback when analytics are on, and our stage modules log through the standard logging module.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "etl")
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")

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
