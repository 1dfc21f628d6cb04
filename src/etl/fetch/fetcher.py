"""The only code in the ETL that talks to the network.

Every request goes through one per-host gate: robots.txt first (read once per origin and run,
whatever the outcome), then a wait until the host's politeness delay has passed, then a single
request whose body is streamed with a size cap. Redirects are followed by hand so every hop is
checked against the host allow-list and robots.txt and waits its turn like any other request.

A fetch never raises for network, HTTP or content problems; it returns a ``FetchResult`` whose
``status`` and one-line ``error`` say what happened.

Time is bounded (see ``deadline``): each request, from connect to the last body byte, gets
``request_deadline`` seconds of wall-clock time, after which its socket is shut down (a retryable
failure); and a ``RunStop`` shared with the run ends every wait and in-flight request when the run
is stopped (a signal) or its deadline passes, after which URLs not yet fetched fail at once with
the reason, for the next run to retry. Note that a body identical to the one recorded
in ``Validators.sha256`` is still reported as ``OK``: the caller compares ``FetchResult.sha256`` with
what it stored and decides whether re-loading is needed.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from protego import Protego
from requests.auth import HTTPBasicAuth
from requests.structures import CaseInsensitiveDict

from etl.fetch.archive import RawArchive
from etl.fetch.body import (
    ACCEPT_ENCODING,
    CHUNK_SIZE,
    BadEncoding,
    BodyTooLarge,
    read_limited,
    read_prefix,
)
from etl.fetch.config import FetchConfig
from etl.fetch.deadline import RunStop, WatchedAdapter, request_deadline_reason, watched
from etl.fetch.decoding import Undecodable, declared_charset, decode_html
from etl.fetch.network import network_failure
from etl.fetch.politeness import (
    HostGate,
    RobotsPolicy,
    SharedTurns,
    host_allowed,
    origin_of,
    polite_delay,
    robots_url,
)
from etl.fetch.retry import backoff_delay, is_retryable_status, parse_retry_after
from etl.models import HOST_NOT_ALLOWED, NOT_FOUND_STATUSES, FetchResult, FetchStatus, Validators
from etl.text_safety import terminal_line
from etl.urls import host_of, origin, redact_text, redact_url, split_credentials

logger = logging.getLogger("etl.fetch")

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
# What RFC 9309 asks crawlers to read at least, and Google's limit: a longer robots.txt is read up to
# here (to the last complete line) and the rest ignored, never the whole file.
MAX_ROBOTS_BYTES = 500 * 1024
# A robots.txt that was read is trusted this long before it is read again.
ROBOTS_TTL_SECONDS = 24 * 3600.0
MAX_ERROR_CHARS = 300
# The start of the reason of a page whose bytes could not be stored: the archive (its disk) is the
# trouble, not the page.
ARCHIVE_FAILED = "cannot archive raw page"
# How often a wait for a turn shared with other processes looks whether the run was stopped.
SHARED_TURN_POLL_SECONDS = 0.5

Sleep = Callable[[float], None]
Clock = Callable[[], float]


@dataclass
class _Exchange:
    """What one request to one URL produced, before it becomes a ``FetchResult``."""

    url: str
    http_status: int | None = None
    headers: CaseInsensitiveDict[str] = field(default_factory=CaseInsensitiveDict)
    body: bytes | None = None
    error: str | None = None
    status: FetchStatus | None = None  # a final verdict (OK, NOT_FOUND, ...); None while undecided
    retryable: bool = False
    retry_after: float | None = None
    location: str | None = None  # absolute redirect target
    sent: bool = True  # False when robots.txt stopped the request before it was made


def _one_line(message: object) -> str:
    # A message may quote a URL (an invalid one, a Location header): never with its password.
    text = " ".join(redact_text(str(message)).split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def _shown(url: str) -> str:
    """A URL as log lines show it: no credentials, no control characters."""
    return terminal_line(redact_url(url))


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


class Fetcher:
    """Polite, bounded HTTP GETs over one ``requests.Session``; safe to share between threads."""

    def __init__(
        self,
        config: FetchConfig = FetchConfig(),  # noqa: B008 - frozen, so a shared default is safe
        archive: RawArchive | None = None,
        *,
        sleep: Sleep | None = None,
        clock: Clock = time.monotonic,
        stop: RunStop | None = None,
        shared_turns: SharedTurns | None = None,
    ) -> None:
        self.config = config
        # Spacing across processes, on top of the in-process gates (see SharedTurns).
        self._shared_turns = shared_turns
        self.archive = archive
        self.stop = stop if stop is not None else RunStop()
        # Every wait ends early when the run is stopped; tests pass a virtual ``sleep`` instead.
        self._sleep = sleep if sleep is not None else self.stop.wait
        self._clock = clock
        self._rng = random.Random()
        self._session = self._new_session()
        self._gates: dict[str, HostGate] = {}
        self._robots: dict[str, RobotsPolicy] = {}
        self._state_lock = threading.Lock()

    def _new_session(self) -> requests.Session:
        session = requests.Session()
        # Behaviour must not change with the caller's environment (HTTP_PROXY, ~/.netrc); a proxy,
        # if one is ever needed, should be an explicit setting.
        session.trust_env = False
        session.headers.update(
            {"User-Agent": self.config.user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING}
        )
        adapter = WatchedAdapter(pool_connections=16, pool_maxsize=max(4, self.config.workers), max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    # -- public API -------------------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        validators: Validators | None = None,
        *,
        refresh: bool = False,
        missing_ok: bool = False,
    ) -> FetchResult:
        """GET ``url`` politely; ``validators`` make it conditional unless ``refresh`` is set.

        304 gives ``NOT_MODIFIED`` (with ``sha256`` copied from the validators). A 200 whose body hashes
        to ``validators.sha256`` is still ``OK``: comparing hashes and skipping the re-load is the
        caller's decision. ``missing_ok`` says a 404/410 is an answer the caller expects (a probe for
        where a day's pages end): it is logged as information, not as a warning.
        """
        send_validators = None if refresh else validators
        result = self._fetch(url, send_validators)
        expected = result.status in (FetchStatus.OK, FetchStatus.NOT_MODIFIED) or (
            missing_ok and result.status is FetchStatus.NOT_FOUND
        )
        log = logger.info if expected else logger.warning
        log(
            "GET %s -> %s (http %s, %d attempt(s))%s",
            _shown(url),
            result.status.value,
            result.http_status,
            result.attempts,
            f": {terminal_line(result.error)}" if result.error else "",
        )
        return result

    def fetch_many(
        self,
        urls: Sequence[str],
        validators: Mapping[str, Validators] | None = None,
        *,
        refresh: bool = False,
        missing_ok: bool = False,
    ) -> list[FetchResult]:
        """Fetch ``urls`` (results in the same order): hosts in parallel, one request at a time per host.

        Each host's URLs run in order on one worker, so a slow host never holds up the others and
        no worker sits blocked on another's host lock. A URL listed twice is fetched once. Each
        worker runs in a copy of the caller's context variables, so what it logs belongs to the
        caller's run (Prefect sends a log line to a flow run's logs only within its run context).
        """
        validators = validators or {}
        by_host: dict[str, list[str]] = {}
        for url in dict.fromkeys(urls):
            by_host.setdefault(host_of(url), []).append(url)
        if not by_host:
            return []

        def fetch_host(host_urls: list[str]) -> list[FetchResult]:
            return [
                self.fetch(url, validators.get(url), refresh=refresh, missing_ok=missing_ok)
                for url in host_urls
            ]

        results: dict[str, FetchResult] = {}
        workers = min(self.config.workers, len(by_host))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="etl-fetch") as pool:
            # One copy per job: a context can be entered by one thread at a time.
            futures = [
                pool.submit(contextvars.copy_context().run, fetch_host, host_urls)
                for host_urls in by_host.values()
            ]
            try:
                for future in futures:
                    for result in future.result():
                        results[result.url] = result
            except BaseException as exc:
                # Leaving the pool waits for its workers: they must not sit out a Crawl-delay first.
                self.stop.request_stop(type(exc).__name__)
                raise
        return [results[url] for url in urls]

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- one URL: redirect hops, each with retries --------------------------------------------------

    def _fetch(self, url: str, validators: Validators | None) -> FetchResult:
        headers = self._conditional_headers(validators)
        attempts = 0
        current = url
        seen = {url}
        for hop in range(self.config.max_redirects + 1):
            refusal = self._refusal_before_request(current) or self._stopped()
            if refusal is not None:
                status, error = refusal
                result = self._result_without_body(
                    url, current, status=status, attempts=attempts, error=error
                )
                # The one refusal before a request that is DISALLOWED is a host outside the allowed
                # ones. Only the URL's own host makes the page one that can never load by itself: a
                # redirect to a refused host may go away.
                return replace(result, host_not_allowed=hop == 0 and status is FetchStatus.DISALLOWED)
            exchange, used = self._exchange_with_retries(current, headers)
            attempts += used
            if exchange.location is None:
                return self._result_from_exchange(url, exchange, validators, attempts)
            if exchange.location in seen:
                return self._result_without_body(
                    url,
                    current,
                    FetchStatus.FAILED,
                    exchange.http_status,
                    attempts,
                    f"redirect loop at {exchange.location}",
                )
            logger.debug(
                "%s redirects (%s) to %s", _shown(current), exchange.http_status, _shown(exchange.location)
            )
            seen.add(exchange.location)
            current = exchange.location
        return self._result_without_body(
            url,
            current,
            FetchStatus.FAILED,
            None,
            attempts,
            f"too many redirects (more than {self.config.max_redirects})",
        )

    def _conditional_headers(self, validators: Validators | None) -> dict[str, str]:
        headers: dict[str, str] = {}
        if validators is not None and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators is not None and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        return headers

    def _stopped(self) -> tuple[FetchStatus, str] | None:
        """The run's reason to start no further request (stopped, deadline passed), if any."""
        reason = self.stop.reason()
        return None if reason is None else (FetchStatus.FAILED, reason)

    def _refusal_before_request(self, url: str) -> tuple[FetchStatus, str] | None:
        """Reasons not to contact ``url`` at all, decided without any network traffic."""
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number or out of range
        except ValueError as exc:
            return FetchStatus.FAILED, _one_line(f"invalid URL: {exc}")
        if parts.scheme not in ("http", "https"):
            return FetchStatus.FAILED, f"unsupported URL scheme {parts.scheme!r}"
        host = host_of(url)
        if not host:
            return FetchStatus.FAILED, "invalid URL: no host"
        if not host_allowed(host, self.config.allowed_hosts):
            return FetchStatus.DISALLOWED, f"{HOST_NOT_ALLOWED}: {host}"
        return None

    def _exchange_with_retries(self, url: str, headers: Mapping[str, str]) -> tuple[_Exchange, int]:
        """Request ``url`` until it gives a final answer or ``max_attempts`` run out.

        Returns the last exchange and how many requests were actually sent for it.
        """
        exchange = _Exchange(url)
        sent = 0
        for attempt in range(1, self.config.max_attempts + 1):
            exchange = self._exchange(url, headers)
            sent += exchange.sent
            if not exchange.retryable or attempt == self.config.max_attempts:
                return exchange, sent
            if exchange.retry_after is not None and exchange.retry_after > self.config.max_retry_after:
                exchange.error = (
                    f"{exchange.error}; server asked to retry after {exchange.retry_after:.0f} s, "
                    f"more than the {self.config.max_retry_after:.0f} s we wait"
                )
                gate = self._gate(host_of(url))
                with gate.lock:  # still leave the host alone as long as we would have waited
                    gate.hold_off(self._clock() + self.config.max_retry_after)
                return exchange, sent
            wait = self._retry_wait(attempt, exchange.retry_after)
            logger.warning(
                "GET %s attempt %d/%d failed (%s); retrying in %.1f s",
                _shown(url),
                attempt,
                self.config.max_attempts,
                terminal_line(exchange.error),
                wait,
            )
            # The wait goes through the host gate, so it also holds back other URLs of this host
            # (a 429 or 503 is about the server, not about one page).
            gate = self._gate(host_of(url))
            with gate.lock:
                gate.hold_off(self._clock() + wait)
        return exchange, sent

    def _retry_wait(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after  # at most max_retry_after: longer requests end the URL's attempts
        return backoff_delay(
            attempt, self.config.backoff_base, self.config.backoff_max, self.config.jitter, self._rng
        )

    # -- one request, under the host gate ---------------------------------------------------------

    def _gate(self, host: str) -> HostGate:
        with self._state_lock:
            return self._gates.setdefault(host, HostGate())

    def _exchange(self, url: str, headers: Mapping[str, str]) -> _Exchange:
        gate = self._gate(host_of(url))
        with gate.lock:
            if (stopped := self._stop_exchange(url)) is not None:
                return stopped
            if self.config.respect_robots:
                policy = self._robots_policy(url, gate)
                if (stopped := self._stop_exchange(url)) is not None:
                    return stopped
                # robots.txt is read once per origin and run, whatever the outcome: another attempt
                # would only find the same answer in the cache, after a backoff wait for nothing.
                if policy.network_failure is not None:
                    return _Exchange(url, status=FetchStatus.FAILED, error=policy.network_failure, sent=False)
                refusal = policy.refusal(url, self.config.robots_agent)
                if refusal is not None:
                    return _Exchange(url, status=FetchStatus.DISALLOWED, error=refusal, sent=False)
            gate.wait_turn(self._clock, self._sleep)
            if (stopped := self._stop_exchange(url)) is not None:
                return stopped
            self._take_shared_turn(url)
            if (stopped := self._stop_exchange(url)) is not None:
                return stopped
            try:
                return self._send(url, headers)
            finally:
                gate.hold_off(self._clock() + self._polite_delay(url))

    def _stop_exchange(self, url: str) -> _Exchange | None:
        """A final, unsent exchange when the run allows no further request; None when it does."""
        reason = self.stop.reason()
        if reason is None:
            return None
        return _Exchange(url, status=FetchStatus.FAILED, error=reason, sent=False)

    def _host_interval(self, url: str) -> float:
        """The least time between two requests to ``url``'s host: the config floor or robots' ask."""
        base = self.config.delay
        with self._state_lock:
            policy = self._robots.get(origin_of(url))
        asked = policy.requested_delay(self.config.robots_agent) if policy is not None else None
        if asked is not None:
            base = max(base, min(asked, self.config.max_crawl_delay))
        return base

    def _polite_delay(self, url: str) -> float:
        """This request's gap to the next one on the same host: the interval plus jitter."""
        return polite_delay(self._host_interval(url), self.config.jitter, self._rng)

    def _take_shared_turn(self, url: str) -> None:
        """Wait for the host's turn among all processes (``SharedTurns``), if one is installed.

        The wait runs on a thread of its own so that a stopped run stops waiting at once (the request
        after it then reports the stop; the turn, when it comes, goes unused). A turn that cannot
        be taken (the shared service is down) leaves the spacing to this process's gate.
        """
        turns = self._shared_turns
        interval = self._host_interval(url)
        if turns is None or interval <= 0:
            return
        host = host_of(url)
        taken = threading.Event()
        trouble: list[BaseException] = []

        def take() -> None:
            try:
                turns.take(host, interval)
            except Exception as exc:
                trouble.append(exc)
            finally:
                taken.set()

        threading.Thread(target=take, name="etl-shared-turn", daemon=True).start()
        while not taken.wait(SHARED_TURN_POLL_SECONDS):
            if self.stop.reason() is not None:
                return
        if trouble:
            logger.warning(
                "no shared turn for %s (%s); spacing its requests within this process only",
                terminal_line(host),
                _one_line(trouble[0]),
            )

    def _auth_for(self, url: str) -> HTTPBasicAuth | None:
        """Basic credentials for ``url``'s origin only: those in the URL itself, else configured ones.
        Each redirect hop asks again, so credentials never follow a redirect to another origin."""
        bare, given = split_credentials(url)
        target = origin(bare)
        for credentials in (*([given] if given else []), *self.config.credentials):
            if target and credentials.origin == target:
                return HTTPBasicAuth(credentials.username.encode(), credentials.password.encode())
        return None

    def _send(self, url: str, headers: Mapping[str, str]) -> _Exchange:
        deadline = self.config.request_deadline
        with watched(deadline, request_deadline_reason(deadline), self.stop) as watch:
            exchange = self._send_watched(url, headers)
        if watch.cut is None:
            return exchange
        # Cut off: whatever the read reported (an error, or a close-delimited body that merely
        # looks complete) is a symptom. The request deadline is worth another attempt; a stop is not.
        stopped = self.stop.reason()
        if stopped is not None:
            return _Exchange(url, status=FetchStatus.FAILED, error=stopped)
        return _Exchange(url, http_status=exchange.http_status, error=watch.cut, retryable=True)

    def _send_watched(self, url: str, headers: Mapping[str, str]) -> _Exchange:
        try:
            response = self._session.get(
                redact_url(url),  # credentials go in the Authorization header, to this origin only
                auth=self._auth_for(url),
                headers=dict(headers),
                stream=True,
                allow_redirects=False,
                timeout=(self.config.connect_timeout, self.config.read_timeout),
            )
        except requests.Timeout as exc:
            return _Exchange(url, error=_one_line(f"timeout: {exc}"), retryable=True)
        except requests.ConnectionError as exc:
            reason = network_failure(exc, url) or f"connection error: {exc}"
            return _Exchange(url, error=_one_line(reason), retryable=True)
        except (requests.RequestException, ValueError) as exc:  # invalid URL, bad header value, ...
            return _Exchange(url, status=FetchStatus.FAILED, error=_one_line(f"request failed: {exc}"))
        with response:
            return self._classify(url, response)

    def _classify(self, url: str, response: requests.Response) -> _Exchange:
        code = response.status_code
        exchange = _Exchange(url, http_status=code, headers=response.headers)
        if code in REDIRECT_STATUSES:
            location = response.headers.get("Location")
            if not location:
                return self._with_verdict(
                    exchange, FetchStatus.FAILED, f"HTTP {code} redirect without Location"
                )
            # Credentials in a Location header are not ours to send, nor to store.
            exchange.location = redact_url(urljoin(redact_url(url), location.strip()).split("#", 1)[0])
            return exchange
        if code == 304:
            return self._with_verdict(exchange, FetchStatus.NOT_MODIFIED, None)
        if code in NOT_FOUND_STATUSES:
            return self._with_verdict(exchange, FetchStatus.NOT_FOUND, f"HTTP {code}")
        if is_retryable_status(code):
            exchange.error = f"HTTP {code}"
            exchange.retryable = True
            exchange.retry_after = parse_retry_after(response.headers.get("Retry-After"))
            return exchange
        if not 200 <= code < 300:
            return self._with_verdict(exchange, FetchStatus.FAILED, f"HTTP {code}")
        return self._read_body(exchange, response)

    def _with_verdict(self, exchange: _Exchange, status: FetchStatus, error: str | None) -> _Exchange:
        """``exchange`` settled: no retry or redirect follows, ``status`` and ``error`` are its answer."""
        exchange.status = status
        exchange.error = error
        return exchange

    def _read_body(self, exchange: _Exchange, response: requests.Response) -> _Exchange:
        content_type = response.headers.get("Content-Type")
        media_type = _media_type(content_type)
        if media_type and media_type not in self.config.accepted_content_types:
            return self._with_verdict(
                exchange, FetchStatus.FAILED, _one_line(f"unexpected content type {media_type}")
            )
        too_large = f"response larger than {self.config.max_bytes} bytes"
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.config.max_bytes:
            return self._with_verdict(exchange, FetchStatus.FAILED, too_large)
        try:
            raw_chunks = response.raw.stream(CHUNK_SIZE, decode_content=False)
            exchange.body = read_limited(
                raw_chunks, response.headers.get("Content-Encoding"), self.config.max_bytes
            )
        except BodyTooLarge:
            return self._with_verdict(exchange, FetchStatus.FAILED, too_large)
        except BadEncoding as exc:
            return self._with_verdict(exchange, FetchStatus.FAILED, _one_line(exc))
        except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
            # Timeouts and connections cut mid-body (short Content-Length) are transient.
            exchange.error = _one_line(f"body read failed: {type(exc).__name__}: {exc}")
            exchange.retryable = True
            return exchange
        exchange.status = FetchStatus.OK
        return exchange

    # -- robots.txt -------------------------------------------------------------------------------

    def _robots_policy(self, url: str, gate: HostGate) -> RobotsPolicy:
        """The cached policy of ``url``'s origin, reading robots.txt if needed; caller holds ``gate.lock``."""
        origin = origin_of(url)
        with self._state_lock:
            cached = self._robots.get(origin)
        if cached is not None and self._clock() - cached.fetched_at < ROBOTS_TTL_SECONDS:
            return cached
        # Reading robots.txt is a request like any other: it waits its turn and delays the next one
        # (by the Crawl-delay it may have just declared).
        gate.wait_turn(self._clock, self._sleep)
        policy = RobotsPolicy(unreachable_reason="not read", fetched_at=self._clock())
        if self.stop.reason() is None:
            self._take_shared_turn(url)
        if self.stop.reason() is not None:
            return policy  # not cached; the request that follows reports the stop
        try:
            deadline = self.config.request_deadline
            with watched(deadline, request_deadline_reason(deadline), self.stop) as watch:
                policy = self._read_robots(robots_url(url))
            if watch.cut is not None:
                logger.warning("robots.txt %s: %s", _shown(robots_url(url)), watch.cut)
                policy = RobotsPolicy(unreachable_reason=watch.cut, fetched_at=self._clock())
            # Every outcome is kept for the run, a failure included: a host that does not resolve
            # or answers 503 is asked once, not once per attempt of each of its pages. The next
            # run reads it again. Only a read cut short by the run's stop is not an answer.
            if self.stop.reason() is None:
                with self._state_lock:
                    self._robots[origin] = policy
        finally:
            gate.hold_off(self._clock() + self._polite_delay(url))
        return policy

    def _read_robots(self, url: str) -> RobotsPolicy:
        now = self._clock()
        url = redact_url(url)
        current = url
        try:
            for _hop in range(self.config.max_redirects + 1):
                response = self._session.get(
                    current,
                    auth=self._auth_for(current),
                    stream=True,
                    allow_redirects=False,
                    timeout=(self.config.connect_timeout, self.config.read_timeout),
                )
                with response:
                    location = response.headers.get("Location")
                    if response.status_code not in REDIRECT_STATUSES or not location:
                        return self._robots_from_response(current, response, now)
                target = redact_url(urljoin(current, location.strip()))
                if host_of(target) != host_of(url):
                    # Another host's rules do not describe this one, and asking it would be a request
                    # outside this host's gate (maybe outside the allow-list): use the defaults.
                    logger.info("robots.txt %s redirects to another host; treating as allow-all", _shown(url))
                    return RobotsPolicy.allow_all(now)
                current = target
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
            failure = network_failure(exc, current)
            if failure is not None:
                logger.warning("robots.txt %s: %s", _shown(url), failure)
                return RobotsPolicy(network_failure=failure, fetched_at=now)
            logger.warning("robots.txt %s unreachable: %s", _shown(url), _one_line(exc))
            return RobotsPolicy(unreachable_reason=type(exc).__name__, fetched_at=now)
        logger.info("robots.txt %s redirects too often; treating as allow-all", _shown(url))
        return RobotsPolicy.allow_all(now)

    def _robots_from_response(self, url: str, response: requests.Response, now: float) -> RobotsPolicy:
        code = response.status_code
        if code == 429 or code >= 500:
            logger.warning("robots.txt %s answered HTTP %d; holding back this host", _shown(url), code)
            return RobotsPolicy(unreachable_reason=f"HTTP {code}", fetched_at=now)
        if code >= 400:  # 404 and other 4xx: no rules (RFC 9309 §2.3.1.3)
            logger.info("robots.txt %s: HTTP %d, allow-all with the default delay", _shown(url), code)
            return RobotsPolicy.allow_all(now)
        try:
            raw, cut = read_prefix(
                response.raw.stream(CHUNK_SIZE, decode_content=False),
                response.headers.get("Content-Encoding"),
                MAX_ROBOTS_BYTES,
            )
        except BadEncoding as exc:
            logger.warning("robots.txt %s: %s; treating as allow-all", _shown(url), exc)
            return RobotsPolicy.allow_all(now)
        if cut:
            # A line cut in two could turn "Disallow: /private/" into "Disallow: /": drop it.
            raw = raw[: raw.rfind(b"\n") + 1]
            logger.warning(
                "robots.txt %s larger than %d bytes; obeying its first %d bytes",
                _shown(url),
                MAX_ROBOTS_BYTES,
                len(raw),
            )
        try:
            text = decode_html(raw).text
        except Undecodable as exc:
            logger.warning("robots.txt %s: %s; treating as allow-all", _shown(url), exc)
            return RobotsPolicy.allow_all(now)
        policy = RobotsPolicy(rules=Protego.parse(text), fetched_at=now)
        logger.info(
            "robots.txt %s read; delay asked for %s: %s",
            _shown(url),
            self.config.robots_agent,
            policy.requested_delay(self.config.robots_agent),
        )
        return policy

    # -- results ----------------------------------------------------------------------------------

    def _result_from_exchange(
        self, url: str, exchange: _Exchange, validators: Validators | None, attempts: int
    ) -> FetchResult:
        """The ``FetchResult`` of the last exchange of ``url`` (after its redirects and retries)."""
        status = exchange.status or FetchStatus.FAILED
        if status is FetchStatus.FAILED and exchange.retryable:
            error = f"{exchange.error} (gave up after {attempts} attempts)"
            return self._result_without_body(url, exchange.url, status, exchange.http_status, attempts, error)
        if status is FetchStatus.NOT_MODIFIED:
            return self._not_modified(url, exchange, validators, attempts)
        if status is FetchStatus.OK and exchange.body is not None:
            return self._ok(url, exchange, attempts)
        return self._result_without_body(
            url, exchange.url, status, exchange.http_status, attempts, exchange.error
        )

    def _not_modified(
        self, url: str, exchange: _Exchange, validators: Validators | None, attempts: int
    ) -> FetchResult:
        if validators is None:
            return self._result_without_body(
                url, exchange.url, FetchStatus.FAILED, 304, attempts, "HTTP 304 to an unconditional request"
            )
        return FetchResult(
            url=url,
            status=FetchStatus.NOT_MODIFIED,
            final_url=redact_url(exchange.url),
            http_status=exchange.http_status,
            sha256=validators.sha256,  # unchanged content: the stored hash still describes it
            etag=exchange.headers.get("ETag") or validators.etag,
            last_modified=exchange.headers.get("Last-Modified") or validators.last_modified,
            fetched_at=dt.datetime.now(dt.UTC),
            attempts=attempts,
        )

    def _ok(self, url: str, exchange: _Exchange, attempts: int) -> FetchResult:
        raw = exchange.body or b""
        # Archive first, before anything interprets the bytes, so a later parser fix can replay them.
        try:
            sha256 = self.archive.put(raw) if self.archive is not None else hashlib.sha256(raw).hexdigest()
        except OSError as exc:  # disk full, read-only or misplaced archive: this page fails, not the run
            return self._result_without_body(
                url,
                exchange.url,
                FetchStatus.FAILED,
                exchange.http_status,
                attempts,
                _one_line(f"{ARCHIVE_FAILED}: {exc}"),
            )
        received = FetchResult(
            url=url,
            status=FetchStatus.OK,
            final_url=redact_url(exchange.url),
            http_status=exchange.http_status,
            sha256=sha256,
            size=len(raw),
            content_type=exchange.headers.get("Content-Type"),
            etag=exchange.headers.get("ETag"),
            last_modified=exchange.headers.get("Last-Modified"),
            fetched_at=dt.datetime.now(dt.UTC),
            attempts=attempts,
        )
        if not raw:
            return replace(received, status=FetchStatus.FAILED, error="empty body")
        try:
            decoded = decode_html(raw, declared_charset(raw, received.content_type))
        except Undecodable as exc:
            return replace(received, status=FetchStatus.FAILED, error=_one_line(exc))
        if decoded.replaced:
            logger.warning(
                "GET %s: %d byte(s) not valid %s, replaced by U+FFFD", url, decoded.replaced, decoded.encoding
            )
        return replace(received, text=decoded.text, encoding=decoded.encoding, decode_errors=decoded.replaced)

    def _result_without_body(
        self,
        url: str,
        final_url: str,
        status: FetchStatus,
        http_status: int | None = None,
        attempts: int = 0,
        error: str | None = None,
    ) -> FetchResult:
        """A result that delivers no page: a refusal, a failure, a not-found."""
        return FetchResult(
            url=url,
            status=status,
            final_url=redact_url(final_url),
            http_status=http_status,
            fetched_at=dt.datetime.now(dt.UTC),
            attempts=attempts,
            error=error,
        )
