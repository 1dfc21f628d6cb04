"""`etl serve` and `etl deploy-setup`: running the scheduled deployments (README, "Deploying")."""

from __future__ import annotations

import sys

import click

from etl.cli.common import EXIT_USAGE, main
from etl.config import default_db_path, prepare_prefect_env
from etl.sitemaps import DEFAULT_CHANNELS, DEFAULT_SITEMAP_INDEX, list_pages_for
from etl.urls import DEFAULT_EPAPER_BASE, host_of


def people_daily_hosts() -> list[str]:
    """The hosts the scheduled runs crawl: the e-paper, the portal's sitemaps, the default channels."""
    urls = [DEFAULT_EPAPER_BASE, DEFAULT_SITEMAP_INDEX, *list_pages_for(DEFAULT_CHANNELS)]
    return list(dict.fromkeys(host_of(u) for u in urls))


@main.command()
def serve() -> None:
    """Serve the deployments (daily-epaper, ingest-urls, portal-news) in the foreground: their
    schedules start runs in this process until it is stopped (Ctrl-C, SIGTERM). The single-process
    alternative to a work pool and `prefect deploy`."""
    prepare_prefect_env()
    from flows.concurrency import api_configured
    from flows.deployments import serve_deployments

    click.echo(f"warehouse: {default_db_path().absolute()} (ETL_DB overrides; runs may pass db)")
    if not api_configured():
        click.echo(
            "etl: no PREFECT_API_URL: serving against a temporary Prefect server that lives as long "
            "as this process (see README, Deploying)",
            err=True,
        )
    serve_deployments()


@main.command("deploy-setup")
@click.option(
    "--delay",
    type=click.FloatRange(min=0, min_open=True),
    default=2.0,
    show_default=True,
    help="Seconds between two requests to one host, across all workers (a robots.txt Crawl-delay "
    "raises it for its host on first use).",
)
def deploy_setup(delay: float) -> None:
    """Create the Prefect concurrency limits the deployments share: `warehouse-writer` (one run
    writes the warehouse at a time, the others queue) and a `host:<name>` rate limit for each
    People's Daily host (one request at a time per host across workers). Safe to run again."""
    prepare_prefect_env()
    from flows.concurrency import api_configured, install_limits

    if not api_configured():
        click.echo(
            "etl: deploy-setup needs PREFECT_API_URL, the Prefect server the workers use "
            "(e.g. http://127.0.0.1:4200/api)",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    for name in install_limits(people_daily_hosts(), delay):
        click.echo(f"concurrency limit {name}")
