"""Settings of the fetch stage: identity, politeness, retries and limits."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

from etl.urls import Credentials

DEFAULT_USER_AGENT = "PeoplesDailyETL/0.1 (+https://github.com/peoples-daily-etl)"


@dataclass(frozen=True)
class FetchConfig:
    """How the fetcher behaves towards the sites it reads.

    ``delay`` is the floor between two requests to one host; a robots.txt ``Crawl-delay`` (or
    ``Request-rate``) raises it for that host, up to ``max_crawl_delay``. ``jitter`` adds a random
    0..``jitter * delay`` on top so a schedule of many runs does not hit the site in lock-step.
    """

    user_agent: str = DEFAULT_USER_AGENT
    delay: float = 2.0
    jitter: float = 0.5
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    # Wall-clock bound on one request, connect to last body byte: the timeouts above bound each read
    # only, so a server dripping a byte at a time could otherwise hold a fetch for hours.
    request_deadline: float = 120.0
    max_attempts: int = 4
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    # A Retry-After is waited in full up to this; a server asking for longer gets the URL back as a
    # failure for the next run instead of a crawler parked for hours.
    max_retry_after: float = 300.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    # A URL's host must equal one of these or be a subdomain of one.
    allowed_hosts: tuple[str, ...] = ("people.com.cn", "people.cn")
    respect_robots: bool = True
    # HTTP Basic credentials, each sent only to its own origin (scheme, host and port), redirect
    # hops included; kept out of repr so that no log line or traceback shows them.
    credentials: tuple[Credentials, ...] = field(default=(), repr=False)
    max_crawl_delay: float = 300.0
    workers: int = 4
    # Media types (without parameters) worth decoding; a missing Content-Type is accepted too. XML is
    # here because sitemaps and RSS feeds are discovery inputs fetched through the same stage.
    accepted_content_types: tuple[str, ...] = (
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "text/xml",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
    )

    def __post_init__(self) -> None:
        # nan passes every comparison below (and would switch off the delays); inf would wait for ever.
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"{f.name} must be a finite number, not {value}")
        if self.connect_timeout <= 0 or self.read_timeout <= 0:
            raise ValueError("connect_timeout and read_timeout must be positive")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        if min(self.delay, self.jitter, self.backoff_base, self.backoff_max, self.max_crawl_delay) < 0:
            raise ValueError("delays, jitter and backoff must not be negative")
        if self.request_deadline <= 0:
            raise ValueError("request_deadline must be positive")
        if self.max_bytes < 1 or self.max_redirects < 0:
            raise ValueError("max_bytes must be positive and max_redirects not negative")

    @property
    def robots_agent(self) -> str:
        """The product token robots.txt groups are matched against ("PeoplesDailyETL")."""
        return self.user_agent.split("/", 1)[0].split()[0]
