"""Deployments for scheduled runs: `python -m flows.deployments` serves them from this process.

The e-paper is published overnight (Beijing time); 07:30 leaves margin for late pages. Portal news
is discovered every hour. Each
deployment allows one run at a time: two runs on one DuckDB file would only wait on each other.
"""

from __future__ import annotations

from typing import cast

from prefect import serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.epaper import daily_epaper
from flows.ingest import ingest_urls
from flows.portal import portal_news

ONE_AT_A_TIME = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)


def build_deployments() -> list[RunnerDeployment]:
    # Called outside an event loop, to_deployment returns the deployment itself; the cast narrows
    # Prefect's sync-or-async return type.
    epaper = daily_epaper.to_deployment(
        name="daily-epaper",
        schedule=Cron("30 7 * * *", timezone="Asia/Shanghai"),
        concurrency_limit=ONE_AT_A_TIME,
        tags=["peoples-daily", "epaper"],
    )
    ingest = ingest_urls.to_deployment(
        name="ingest-urls",
        concurrency_limit=ONE_AT_A_TIME,
        parameters={"urls": []},
        tags=["peoples-daily", "portal"],
    )
    # Hourly: www.people.cn's 120 s Crawl-delay makes one run of the default channels ~20 minutes of
    # sitemap reading; a run that overlaps the next waits in the queue.
    portal = portal_news.to_deployment(
        name="portal-news",
        schedule=Cron("15 * * * *", timezone="Asia/Shanghai"),
        concurrency_limit=ONE_AT_A_TIME,
        tags=["peoples-daily", "portal"],
    )
    return [cast(RunnerDeployment, d) for d in (epaper, ingest, portal)]


if __name__ == "__main__":
    serve(*build_deployments())
