"""`etl failures`, `etl templates`: what the warehouse says about earlier runs."""

from __future__ import annotations

from pathlib import Path

import click

from etl.cli.common import _usage_error, db_option, main
from etl.config import SettingError, check_warehouse, default_db_path


@main.command()
@db_option
def failures(db: str | None) -> None:
    """List pages that failed and are still to be retried."""
    from etl.load import open_failures
    from etl.text_safety import terminal_line

    try:
        db_path = check_warehouse("--db", Path(db) if db else default_db_path(), writable=False)
    except SettingError as exc:
        _usage_error(exc)
    rows = open_failures(db_path)
    if not rows:
        click.echo("no open failures")
        return
    for f in rows:
        status = f" HTTP {f.http_status}" if f.http_status else ""
        retry = "" if f.retryable else "  (no longer retried by itself)"
        when = f"{f.last_failed_at:%Y-%m-%d %H:%M}"
        click.echo(terminal_line(f"{when} {f.stage}{status} x{f.failure_count} {f.url}  {f.reason}{retry}"))


@main.command()
@db_option
def templates(db: str | None) -> None:
    """Which template read the articles of each host; `generic` marks layouts that need a template."""
    from etl.config import default_db_path
    from etl.load import template_use
    from etl.text_safety import terminal_line

    rows = template_use(Path(db) if db else default_db_path())
    if not rows:
        click.echo("no articles loaded")
        return
    click.echo(f"{'host':<32} {'template':<22} {'articles':>8}  last loaded (UTC)   latest article")
    for host, template, articles, last_loaded, latest in rows:
        flag = "  <- needs a template" if template == "generic" else ""
        click.echo(
            terminal_line(
                f"{host:<32} {template:<22} {articles:>8}  {last_loaded:%Y-%m-%d %H:%M}    {latest}{flag}"
            )
        )


# A text file has next to no control characters and, decoded, few replacement characters; more than
