"""Limits shared by every process that talks to one Prefect server: one warehouse writer at a time,
and one request at a time per crawled host.

Both are Prefect global concurrency limits, so they hold across workers, `etl serve` and `etl`
commands pointed at the same server (`PREFECT_API_URL`):

- ``warehouse-writer`` (limit 1): held by a run for as long as it writes the warehouse, so a run
  started while another writes (an ingest during the daily e-paper) waits its turn instead of
  failing on the warehouse's file lock. Created by ``etl deploy-setup``.
- ``host:<hostname>`` (limit 1, slots decaying after the host's politeness interval): taken through
  ``rate_limit`` before every request to that host, so requests of all processes start at least
  that interval apart. ``etl deploy-setup`` creates those of the People's Daily hosts; one for any
  other host (a mirror, an ingested URL) is created on first use, and its interval raised when
  robots.txt asks for more.

Without a configured API (`etl run` on a laptop starts a temporary server of its own) there is
nobody to share with: runs rely on the warehouse's file lock and the fetcher's in-process host
gates, as before.
"""

from __future__ import annotations

import contextvars
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from etl.load import WarehouseBusy

log = logging.getLogger("etl.concurrency")

WAREHOUSE_WRITER = "warehouse-writer"
HOST_LIMIT_PREFIX = "host:"
# A run holds the warehouse-writer slot for hours; the lease is renewed in the background and lets
# the slot go this long after a writer died without releasing it (kill -9, a lost machine).
WRITER_LEASE_SECONDS = 300.0
# After the server failed to give a turn, requests go by the in-process gates alone this long.
SERVER_TROUBLE_PAUSE_SECONDS = 300.0


def api_configured() -> bool:
    """True when runs talk to a Prefect server that other processes share (PREFECT_API_URL).

    Prefect's settings answer that, but importing them imports Prefect (about a second of CPU), which a
    lean `etl run` does not otherwise need. So when Prefect is not imported yet and nothing that
    could name an API is there (the variable, or a settings file mentioning one), the answer is no
    without asking; anything else asks Prefect."""
    if "prefect" not in sys.modules and not _may_name_an_api():
        return False
    from prefect.settings import PREFECT_API_URL

    return bool(PREFECT_API_URL.value())


def _may_name_an_api() -> bool:
    """Whether a Prefect setting source could set the API URL: the environment, the profiles file,
    or the settings files Prefect reads from the working directory (.env, prefect.toml,
    pyproject.toml)."""
    if os.environ.get("PREFECT_API_URL"):
        return True
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect")
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml")
    cwd = Path.cwd()
    mentions = {profiles: "API_URL", cwd / ".env": "API_URL", cwd / "pyproject.toml": "tool.prefect"}
    for path, needle in mentions.items():
        try:
            if needle in path.read_text("utf-8", errors="replace"):
                return True
        except OSError:
            continue  # not there, or unreadable: Prefect reads nothing from it either
    return (cwd / "prefect.toml").exists()


def host_limit_name(host: str) -> str:
    return f"{HOST_LIMIT_PREFIX}{host.lower()}"


def _limit_exists(name: str) -> bool:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            return False
    return True


@contextmanager
def warehouse_writer(
    wait_seconds: float, logger: logging.Logger | logging.LoggerAdapter[Any]
) -> Iterator[None]:
    """Hold the ``warehouse-writer`` slot for the block, waiting up to ``wait_seconds`` for it.

    Raises ``WarehouseBusy`` when another run keeps it longer. Without a configured API, or on a
    server where the limit was never created, the block runs at once: the warehouse's file lock is
    then what keeps two writers apart.
    """
    if not api_configured():
        yield
        return
    if not _limit_exists(WAREHOUSE_WRITER):
        logger.info(
            "no %r concurrency limit on the Prefect server (etl deploy-setup creates it); "
            "runs take turns on the warehouse's file lock only",
            WAREHOUSE_WRITER,
        )
        yield
        return
    from prefect.concurrency.sync import concurrency

    logger.info("waiting for the %r slot (one run writes the warehouse at a time)", WAREHOUSE_WRITER)
    with ExitStack() as held:
        try:
            held.enter_context(
                concurrency(
                    WAREHOUSE_WRITER,
                    occupy=1,
                    timeout_seconds=wait_seconds,
                    lease_duration=WRITER_LEASE_SECONDS,
                )
            )
        except TimeoutError:
            raise WarehouseBusy(
                f"another run held the {WAREHOUSE_WRITER!r} slot for more than {wait_seconds:g} s"
            ) from None
        logger.info("holding the %r slot", WAREHOUSE_WRITER)
        yield


class PrefectHostTurns:
    """``etl.fetch.politeness.SharedTurns`` on a Prefect rate limit per host.

    The limit of a host has one slot that decays after the host's interval, so a turn is granted
    only once no process took one for that long. Limits are created or slowed down on first use
    in this process; a faster setting found on the server (a shorter --delay elsewhere) is raised,
    never lowered: the most polite interval any process asked for wins.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._decay: dict[str, float] = {}  # limit name -> slot decay per second known to be set
        self._clock = clock
        self._paused_until = float("-inf")
        # Turns are taken on the fetcher's threads, which do not inherit the run's context: the
        # Prefect settings in force where the run started (its API URL) are taken along from here.
        self._context = contextvars.copy_context()

    def take(self, host: str, interval: float) -> None:
        self._context.copy().run(self._take, host, interval)

    def _take(self, host: str, interval: float) -> None:
        if self._clock() < self._paused_until:
            return  # the server failed us a moment ago: this process's gates space the requests
        from prefect.concurrency.sync import rate_limit

        name = host_limit_name(host)
        try:
            self._ensure(name, 1.0 / interval)
            rate_limit(name, occupy=1, strict=True)
        except Exception:
            with self._lock:
                # Deleted or changed on the server meanwhile: set it up again next time. A server
                # that is down would cost every request its client's retries: ask again later.
                self._decay.pop(name, None)
                self._paused_until = self._clock() + SERVER_TROUBLE_PAUSE_SECONDS
            raise

    def _ensure(self, name: str, decay: float) -> None:
        with self._lock:
            known = self._decay.get(name)
            if known is not None and known <= decay:
                return
            self._decay[name] = ensure_host_limit(name, decay)


def ensure_host_limit(name: str, decay: float) -> float:
    """Create the rate limit ``name`` (one slot, decaying at ``decay`` per second) or slow it down
    to ``decay``; returns the decay the server now has (never faster than ``decay``)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            existing = client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            try:
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=name, limit=1, slot_decay_per_second=decay)
                )
                log.info("created rate limit %r: one request every %.1f s", name, 1.0 / decay)
                return decay
            except ObjectAlreadyExists:  # another process created it meanwhile
                existing = client.read_global_concurrency_limit_by_name(name)
        if existing.limit == 1 and 0 < existing.slot_decay_per_second <= decay:
            return existing.slot_decay_per_second
        client.update_global_concurrency_limit(
            name, GlobalConcurrencyLimitUpdate(limit=1, slot_decay_per_second=decay)
        )
        log.info("rate limit %r set to one request every %.1f s", name, 1.0 / decay)
        return decay


def install_limits(hosts: Sequence[str], interval: float) -> list[str]:
    """What `etl deploy-setup` creates: the warehouse-writer limit and a rate limit for each of
    ``hosts`` at ``interval`` seconds (an existing faster one is slowed down). Returns their names."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        client.upsert_global_concurrency_limit_by_name(WAREHOUSE_WRITER, 1)
    names = [WAREHOUSE_WRITER]
    for host in hosts:
        name = host_limit_name(host)
        ensure_host_limit(name, 1.0 / interval)
        names.append(name)
    return names
