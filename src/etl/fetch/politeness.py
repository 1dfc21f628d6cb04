"""Who we may ask, what robots.txt allows, and how long to wait between requests to one host."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from protego import Protego

from etl.urls import host_of


def origin_of(url: str) -> str:
    """``scheme://host:port``: the scope a robots.txt applies to (RFC 9309 §2.3); "" if ``url`` is
    malformed (a bad IPv6 literal, a port that is not a number or out of range)."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return ""
    return f"{parts.scheme}://{host_of(url)}:{port}"


def robots_url(url: str) -> str:
    """Where the robots.txt of ``url``'s origin lives; "" if ``url`` is malformed."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def host_allowed(host: str, allowed_hosts: tuple[str, ...]) -> bool:
    """True if ``host`` is one of ``allowed_hosts`` or a subdomain of one."""
    host = host.rstrip(".").lower()
    for allowed in allowed_hosts:
        allowed = allowed.rstrip(".").lower()
        if host == allowed or host.endswith("." + allowed):
            return True
    return False


@dataclass(frozen=True)
class RobotsPolicy:
    """What one origin's robots.txt says; ``rules`` is None when there is nothing to obey."""

    rules: Protego | None = None
    # Set when robots.txt could not be read (5xx, 429): RFC 9309 says assume full disallow.
    unreachable_reason: str | None = None
    # Set when the host could not be reached at all (DNS, connection refused): the pages fail for
    # that reason, a network failure, not for anything robots.txt says.
    network_failure: str | None = None
    fetched_at: float = 0.0

    @classmethod
    def allow_all(cls, fetched_at: float) -> RobotsPolicy:
        return cls(fetched_at=fetched_at)

    def refusal(self, url: str, agent: str) -> str | None:
        """Why ``url`` may not be fetched, or None if it may."""
        if self.unreachable_reason is not None:
            return f"robots.txt unreachable ({self.unreachable_reason})"
        if self.rules is not None and not self.rules.can_fetch(url, agent):
            return "disallowed by robots.txt"
        return None

    def requested_delay(self, agent: str) -> float | None:
        """Seconds between requests asked for by Crawl-delay or Request-rate, if any."""
        if self.rules is None:
            return None
        asked: list[float] = []
        crawl_delay = self.rules.crawl_delay(agent)
        if crawl_delay is not None:
            asked.append(float(crawl_delay))
        rate = self.rules.request_rate(agent)
        if rate is not None and rate.requests > 0:
            asked.append(rate.seconds / rate.requests)
        return max(asked) if asked else None


class HostGate:
    """One host's turn-taking: a lock held for each request and the earliest time of the next one.

    The lock is held only around a single request (never across redirect hops to another host), so
    two hosts can never wait on each other.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.next_request_at = float("-inf")

    def wait_turn(self, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        """Sleep until this host may be asked again. Call with ``lock`` held."""
        remaining = self.next_request_at - clock()
        if remaining > 0:
            sleep(remaining)

    def hold_off(self, until: float) -> None:
        """Push the next request to no earlier than ``until``. Call with ``lock`` held."""
        self.next_request_at = max(self.next_request_at, until)


def polite_delay(base: float, jitter: float, rng: random.Random) -> float:
    """``base`` plus a random 0..``jitter * base`` so repeated runs do not fall into lock-step."""
    return base + rng.uniform(0.0, jitter * base) if base > 0 else 0.0


class SharedTurns(Protocol):
    """Turn-taking for a host shared with other processes (several workers crawling at once).

    ``HostGate`` spaces the requests of one process; an implementation of this spaces the requests
    of every process that uses it: ``take(host, interval)`` returns once no process has started a
    request to ``host`` in the last ``interval`` seconds, and counts this request as started. The
    fetcher calls it before every request, its own gate held, and gives up waiting when the run is
    stopped. The orchestration installs one (a Prefect rate limit per host, flows/concurrency.py);
    without one, the in-process gate is the only one.
    """

    def take(self, host: str, interval: float) -> None: ...
