from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.config import prepare_prefect_env

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
