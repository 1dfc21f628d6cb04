"""`etl extract-text`: the extractor on a plain-text article, without the warehouse."""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO

import click

from etl.cli.common import _usage_error, main
from etl.config import SettingError, check_issue_date

# this share of them means the input is not text.
MAX_UNDECODABLE_SHARE = 0.1


def _decode_text_file(raw: bytes, name: str) -> str:
    """Decode an article file like a fetched page (UTF-8, else gb18030); refuse binary input."""
    from etl.fetch import Undecodable, decode_html

    if b"\x00" in raw:
        raise SettingError(f"{name} is binary (it holds NUL bytes), not text")
    try:
        text = decode_html(raw).text
    except Undecodable as exc:
        raise SettingError(f"{name} is binary or not text ({exc})") from None
    undecodable = sum(1 for ch in text if ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\f\v"))
    if undecodable > MAX_UNDECODABLE_SHARE * len(text):
        raise SettingError(
            f"{name} is binary or in an unknown encoding: {undecodable} undecodable characters"
        )
    return text


@main.command("extract-text")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--published",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Publication date, to resolve 今年/上半年/去年 (default: today).",
)
@click.option("--region", default=None, help="Region the article is about, when the text does not say.")
@click.option(
    "--explain",
    is_flag=True,
    help="List every candidate number with the rule that dropped it, or the metric it was kept with.",
)
def extract_text(file: BinaryIO, published: dt.datetime | None, region: str | None, explain: bool) -> None:
    """Print the indicators of a plain-text article (FILE, or - for stdin) as a table.

    \b
    Columns (docs/indicators.md):
      value     in the base unit; negative for a decrease (下降2.1% -> -2.1)
      metric    the subject alone, without comparison words (同比增长, 比上年下降)
      measure   level | growth | change | share | completion
      basis     yoy | mom | base, for a growth or change; empty otherwise
      region    the most specific place named; 全国 for a national figure
      province  the province-level unit containing region (杭州 -> 浙江; 全国 -> 全国)
    """
    from etl.extract import ExtractionRefused, extract_indicators, format_table
    from etl.text_grammar.normalise import normalise_text

    try:
        day = check_issue_date("--published", published.date()) if published else dt.date.today()
        name = str(getattr(file, "name", "<stdin>"))  # a test runner's stdin has no name
        content = _decode_text_file(file.read(), "stdin" if name in ("<stdin>", "-") else name)
    except SettingError as exc:
        _usage_error(exc)
    paragraphs = [normalise_text(line) for line in content.splitlines()]
    text = "\n".join(p for p in paragraphs if p)
    try:
        if explain:
            from etl.extract import explain_text

            click.echo(explain_text(text, day, region_hint=region))
            return
        rows = extract_indicators(text, day, region_hint=region)
    except ExtractionRefused as refused:  # not article prose: one line saying why, exit status 1
        raise click.ClickException(str(refused)) from None
    click.echo(format_table(rows))
