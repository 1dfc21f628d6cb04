"""portal_news: new 人民网 articles, discovered from the sitemaps (or channel list pages), into the
warehouse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State
from prefect.runtime import flow_run

from etl import compose, load, sitemaps
from etl.config import (
    RUN_DEFAULTS,
    RunOptions,
    Settings,
    accept_url,
    check_count,
    check_issue_date,
    check_origin,
)
from etl.models import Failure, FetchResult, PageKind, PageRef
from etl.urls import on_mirror, ref_for_url, sitemap_channel
from flows.common import (
    FLOW_TIMEOUT_SECONDS,
    RunSummary,
    crawl_articles,
    crawl_session,
    flow_outcome,
    load_and_record,
)
from flows.progress import progress
from flows.runcontext import run_logger, step
from flows.tasks import BatchResult, Crawl, retry_refs

FLOW_NAME = "portal_news"
# Sitemap lastmod values and our clock may disagree by minutes; articles already loaded are skipped
# anyway, so reading an hour back costs nothing and misses nothing.
SINCE_MARGIN = dt.timedelta(hours=1)


@task(name="discover-portal-articles", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=10)
def discover_portal_articles(
    crawl: Crawl, channels: Sequence[str], since: dt.datetime | None, mirror: str | None
) -> tuple[list[str], BatchResult]:
    """Article URLs new since `since`: from the channels' news sitemaps, else their list pages."""
    logger = run_logger()
    out = BatchResult()

    def read(urls: Sequence[str]) -> list[tuple[str, str]]:
        """(url, text) of each listing that answered; failures are recorded."""
        texts = []
        for fetch in crawl.fetcher.fetch_many(list(urls), {}, refresh=True):
            out.fetches.append((fetch, PageKind.PORTAL_LISTING))
            failure = _listing_failure(fetch)
            if failure is not None:
                out.failures.append(failure)
                logger.warning("listing %s failed: %s", fetch.url, failure.reason)
            else:
                assert fetch.text is not None
                out.succeeded_urls.append(fetch.url)
                texts.append((fetch.url, fetch.text))
        return texts

    found: list[str] = []
    unread = list(channels)
    index = read([on_mirror(sitemaps.DEFAULT_SITEMAP_INDEX, mirror)])
    if index and (parsed := sitemaps.read_sitemap(index[0][1])).is_index:
        wanted = [on_mirror(u, mirror) for u in sitemaps.channel_sitemaps(parsed, channels)]
        for url, text in read(wanted):
            found += sitemaps.new_articles(sitemaps.read_sitemap(text).entries, since)
            unread = [c for c in unread if c != sitemap_channel(url)]
    # Channels whose sitemap could not be read (or no index at all): their list pages, when known.
    lists = [on_mirror(u, mirror) for u in sitemaps.list_pages_for(unread)]
    for url, text in read(lists):
        found += sitemaps.list_page_articles(text, url)
    urls = list(dict.fromkeys(on_mirror(u, mirror) for u in found))
    known = (
        set()
        if crawl.refresh
        else set(load.validators_for(crawl.db_path, urls, wait_seconds=crawl.lock_wait))
    )
    fresh = [u for u in urls if u not in known]
    logger.info("%d portal articles listed, %d not loaded yet", len(urls), len(fresh))
    return fresh, out


def _listing_failure(fetch: FetchResult) -> Failure | None:
    return compose.fetch_failure(PageRef(fetch.url, PageKind.PORTAL_LISTING), fetch)


def _since(since: str | None, db_path: Path) -> dt.datetime | None:
    if since:
        day = dt.date.fromisoformat(since)
        return dt.datetime.combine(day, dt.time(), tzinfo=sitemaps.BEIJING)
    last = load.last_run_started(db_path, FLOW_NAME)
    return last - SINCE_MARGIN if last is not None else None


def portal_run_name() -> str:
    """A portal run is named after the day it reads from: portal-news-2025-10-28, or
    portal-news-since-last-run when it continues from the last successful run."""
    since = flow_run.parameters.get("since")
    return f"portal-news-{since or 'since-last-run'}"


@flow(
    name=FLOW_NAME,
    flow_run_name=portal_run_name,
    log_prints=False,
    timeout_seconds=FLOW_TIMEOUT_SECONDS,
    retries=0,  # deployment runs are retried (flows/deployments.py); commands and tests are not
)
def portal_news(
    since: str | None = None,
    channels: list[str] | None = None,
    base_url: str | None = None,
    db: str | None = None,
    delay: float = RUN_DEFAULTS.delay,
    refresh: bool = RUN_DEFAULTS.refresh,
    retry_failed: bool = RUN_DEFAULTS.retry_failed,
    lock_wait: float = RUN_DEFAULTS.lock_wait,
    batch_size: int = RUN_DEFAULTS.batch_size,
    accept_changes: bool = RUN_DEFAULTS.accept_changes,
    run_deadline: float | None = RUN_DEFAULTS.run_deadline,
) -> RunSummary | State[Any]:
    """Load the 人民网 articles listed since `since` (YYYY-MM-DD; default: since the last successful
    portal run) in the news sitemaps of `channels` (default: the national news channels), falling
    back on channel list pages. `base_url` reads a mirror or saved copy of the portal instead.
    Open failures of earlier portal runs and ingests are retried with the new articles; they are
    reported apart, and the run ends Failed (its summary as the state's data) only when a listing
    or an article it discovered failed.
    `accept_changes` loads new versions of stored articles that shrank drastically. After
    `run_deadline` seconds (default $ETL_RUN_DEADLINE, else 6 h) pages not yet fetched become
    failures for the next run."""
    logger = run_logger()
    # Checked before the warehouse is touched (a deployment run passes them without the CLI); a bad
    # one raises SettingError. A user:password in the base URL is used for requests, never stored.
    if base_url:
        base_url = check_origin("base_url", accept_url(base_url))
    if since:
        check_issue_date("since", since)
    check_count("batch_size", batch_size)
    options = RunOptions(
        delay=delay,
        refresh=refresh,
        retry_failed=retry_failed,
        lock_wait=lock_wait,
        batch_size=batch_size,
        accept_changes=accept_changes,
        run_deadline=run_deadline,
    )
    settings = Settings.from_options(db, options)
    followed = [c.strip().lower() for c in (channels or sitemaps.DEFAULT_CHANNELS) if c.strip()]
    start = _since(since, Path(settings.db_path))
    params = {
        "since": start.isoformat() if start else None,
        "channels": followed,
        "base_url": base_url,
        "delay": delay,
        "refresh": refresh,
    }
    if accept_changes:
        params["accept_changes"] = True
    retries = (
        retry_refs(Path(settings.db_path), [PageKind.PORTAL_ARTICLE], wait_seconds=settings.lock_wait)
        if retry_failed
        else []
    )
    hosts = [*([base_url] if base_url else []), *(r.url for r in retries)]
    scope = f"since {start:%Y-%m-%d %H:%M %Z}" if start else "everything listed"
    with crawl_session(FLOW_NAME, settings, params, extra_hosts=hosts, scope=scope) as (crawl, summary):
        urls, listings = step(discover_portal_articles)(crawl, followed, start, base_url)
        summary.older = {r.url for r in retries} - set(urls)
        load_and_record(crawl, summary, listings)
        refs = [ref_for_url(u) for u in urls]
        refs += [r for r in retries if r.url not in set(urls)]
        logger.info("%d portal articles to fetch", len(refs))
        crawl.stored.remember(crawl, [r.url for r in refs], sources=True)
        with progress(len(refs), f"{FLOW_NAME}: articles") as bar:
            crawl_articles(crawl, summary, refs, batch_size, None, bar.update)
    return flow_outcome(summary)
