"""Deployments for scheduled runs: `etl serve` (or `python -m flows.deployments`) serves them from
this process. prefect.yaml at the top of the repository declares the same deployments for
`prefect deploy` to a work pool, with the flows below as entrypoints; tests/test_deploy_kit.py keeps
the two in step.

The e-paper is published overnight (Beijing time); 07:30 leaves margin for late pages, and a second
run at 10:30 picks up an issue or pages that came late (it loads only what the first did not: pages
already loaded are unchanged and skipped). Portal news is discovered every hour. Each deployment
allows one run at a time, and runs of different deployments take turns on the warehouse through
the `warehouse-writer` concurrency limit (flows/concurrency.py).
"""

from __future__ import annotations

from pathlib import Path

from prefect import serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.epaper import daily_epaper
from flows.ingest import ingest_urls
from flows.portal import portal_news

ONE_AT_A_TIME = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)
TIMEZONE = "Asia/Shanghai"
EPAPER_CRONS = ("30 7 * * *", "30 10 * * *")  # the issue, then a second look for late pages
PORTAL_CRON = "15 * * * *"

# A deployment run that fails is retried once, ten minutes later: every load is idempotent and skips
# unchanged pages, so the second attempt redoes only what the first did not finish (a full disk
# that was cleared, a Prefect server that was restarting, a worker that was restarted). `etl`
# commands and tests call the flows themselves, without retries: a Ctrl-C or a busy warehouse ends
# a command at once rather than ten minutes later.
RETRIES = 1
RETRY_DELAY_SECONDS = 600

scheduled_daily_epaper = daily_epaper.with_options(retries=RETRIES, retry_delay_seconds=RETRY_DELAY_SECONDS)
scheduled_ingest_urls = ingest_urls.with_options(retries=RETRIES, retry_delay_seconds=RETRY_DELAY_SECONDS)
scheduled_portal_news = portal_news.with_options(retries=RETRIES, retry_delay_seconds=RETRY_DELAY_SECONDS)


def _entrypoint(name: str) -> str:
    # The flow a run executes is loaded again from its deployment's entrypoint: it must name these
    # objects (with their retries), not the plain flows, wherever the package is installed.
    return f"{Path(__file__).resolve()}:{name}"


def build_deployments() -> list[RunnerDeployment]:
    epaper = RunnerDeployment.from_entrypoint(
        _entrypoint("scheduled_daily_epaper"),
        name="daily-epaper",
        schedules=[Cron(cron, timezone=TIMEZONE) for cron in EPAPER_CRONS],
        concurrency_limit=ONE_AT_A_TIME,
        tags=["peoples-daily", "epaper"],
    )
    ingest = RunnerDeployment.from_entrypoint(
        _entrypoint("scheduled_ingest_urls"),
        name="ingest-urls",
        concurrency_limit=ONE_AT_A_TIME,
        parameters={"urls": []},
        tags=["peoples-daily", "portal"],
    )
    # Hourly: www.people.cn's 120 s Crawl-delay makes one run of the default channels ~20 minutes of
    # sitemap reading; a run that overlaps the next waits in the queue.
    portal = RunnerDeployment.from_entrypoint(
        _entrypoint("scheduled_portal_news"),
        name="portal-news",
        schedule=Cron(PORTAL_CRON, timezone=TIMEZONE),
        concurrency_limit=ONE_AT_A_TIME,
        tags=["peoples-daily", "portal"],
    )
    return [epaper, ingest, portal]


def serve_deployments() -> None:
    """Serve the deployments in the foreground until interrupted: scheduled runs start here."""
    serve(*build_deployments())


if __name__ == "__main__":
    serve_deployments()
