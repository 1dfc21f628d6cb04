"""`etl templates`: what the warehouse says about earlier runs (`etl failures` has its own module)."""

from __future__ import annotations

from pathlib import Path

import click

from etl.cli.common import db_option, main
from etl.config import default_db_path


@main.command()
@db_option
def templates(db: str | None) -> None:
    """Which template read the articles of each host; `generic` marks layouts that need a template."""
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
