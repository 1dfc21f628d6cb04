"""Hostile input costs one article, in bounded memory and time (etl.extract.limits).

The pages are generated into the real e-paper template and go through the real pipeline; the
bisections that keep extraction linear are checked against the straightforward scans they replace.
Speed itself is measured by `make bench`, never asserted here.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
import tracemalloc
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from etl import compose
from etl.cli import main
from etl.extract import ExtractionRefused, extract_article, extract_indicators
from etl.extract.limits import CLAUSE_REACH, MAX_SENTENCE_CHARS, MAX_TEXT_CHARS
from etl.extract.periods import (
    Period,
    PeriodResolver,
    Timeline,
    TimeReference,
    find_time_references,
    period_at,
)
from etl.extract.sentences import (
    CLAUSE_BREAKS,
    _inner_parenthesis_start,
    clause_begin,
    clause_end,
    paragraph_starts,
)
from etl.fetch import decode_html
from etl.models import (
    Article,
    Failure,
    FetchResult,
    FetchStatus,
    Image,
    PageKind,
    PageRef,
    ProcessedArticle,
)

SITE = Path(__file__).parents[1] / "fixtures" / "site"
ARTICLE = "rmrb/pc/content/202509/03/content_30170121.html"
URL = "http://paper.people.com.cn/" + ARTICLE
REF = PageRef(URL, PageKind.EPAPER_ARTICLE, issue_date=dt.date(2025, 9, 3))
INTRO = "本报北京9月2日电　今年前7个月，全市工业增加值同比增长5.8%。"
PEAK_BYTES = 300 * 1024 * 1024


def _figures(count: int, separator: str = "，") -> str:
    return "全市" + separator.join(f"产量{i % 900 + 100}吨" for i in range(count)) + "。"


def _page(*paragraphs: str) -> Article:
    """The e-paper article page with its body replaced by `paragraphs`, fetched and parsed for real."""
    template = decode_html((SITE / ARTICLE).read_bytes()).text
    body = "".join(f"<p>\u3000\u3000{text}</p>" for text in paragraphs)
    html = re.sub(
        r"<!--enpcontent-->.*?<!--/enpcontent-->",
        lambda _: f"<!--enpcontent-->{body}<!--/enpcontent-->",
        template,
        flags=re.S,
    )
    fetched = FetchResult(url=URL, status=FetchStatus.OK, http_status=200, text=html, attempts=1)
    first = compose.parse_article_page(REF, fetched)
    assert isinstance(first, Article)
    return first


def _complete_traced(first: Article) -> tuple[ProcessedArticle | Failure, int]:
    """complete_article (clean and extract) with its peak traced memory in bytes."""
    tracemalloc.start()
    try:
        done = compose.complete_article(REF, first)
        return done, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_sentence_of_5000_figures_fails_its_article_in_bounded_memory() -> None:
    done, peak = _complete_traced(_page(INTRO, _figures(5_000)))
    assert done == Failure(
        URL, "extract", "5,001 figures in one article (cap 2,000): not article prose", kind=REF.kind
    )
    assert peak < PEAK_BYTES


def test_a_sentence_of_200000_figures_is_refused_before_it_is_read() -> None:
    first = _page(INTRO, _figures(200_000))
    done, peak = _complete_traced(first)
    assert isinstance(done, Failure) and done.stage == "extract"
    chars = len(first.paragraphs[0].text) + 1 + len(first.paragraphs[1].text)
    assert done.reason == f"{chars:,} characters of text in one article (cap 200,000): not article prose"
    assert peak < PEAK_BYTES


def test_rows_of_a_long_sentence_keep_an_excerpt_around_their_figure() -> None:
    done = compose.complete_article(REF, _page(INTRO, _figures(1_500, "、")))
    assert isinstance(done, ProcessedArticle)
    body = done.article.body_text
    intro, *listed = done.indicators
    assert len(listed) == 1_500
    assert intro.sentence == body[: body.index("\n")]  # a sentence of normal length is kept whole
    for row in listed:
        assert len(row.sentence) <= MAX_SENTENCE_CHARS and row.raw in row.sentence
        start = body.index(row.sentence, max(0, row.char_start - MAX_SENTENCE_CHARS))
        assert start <= row.char_start and row.char_end <= start + len(row.sentence)
        # cut after and on clause punctuation, not inside a figure
        assert body[start - 1] in CLAUSE_BREAKS and row.sentence[-1] in CLAUSE_BREAKS


def test_figures_of_the_captions_count_towards_the_article_cap() -> None:
    article = dataclasses.replace(
        _page(_figures(1_500)),
        images=tuple(
            Image(position=i, src=f"http://paper.people.com.cn/{i}.jpg", caption=_figures(300))
            for i in range(3)
        ),
    )
    try:
        extract_article(article)
    except ExtractionRefused as refused:
        assert str(refused) == "2,400 figures in one article (cap 2,000): not article prose"
    else:
        raise AssertionError("an article of 2,400 figures was read")


def test_text_past_the_size_cap_is_refused_with_its_size() -> None:
    prose = "居民在社区里散步，孩子们在广场上玩耍。"
    text = prose * (MAX_TEXT_CHARS // len(prose) + 1)
    try:
        extract_indicators(text, dt.date(2025, 9, 3))
    except ExtractionRefused as refused:
        assert (
            str(refused)
            == f"{len(text):,} characters of text in one article (cap 200,000): not article prose"
        )
    else:
        raise AssertionError("a text past the cap was read")
    body = text[: MAX_TEXT_CHARS - 100]
    article = dataclasses.replace(
        _page(body), images=(Image(position=0, src="http://paper.people.com.cn/0.jpg", caption=prose * 10),)
    )
    try:
        extract_article(article)  # the body fits, body and caption together do not
    except ExtractionRefused as refused:
        assert str(refused).startswith(f"{len(body) + len(prose) * 10:,} characters of text")
    else:
        raise AssertionError("body and captions past the cap were read")


def test_extract_text_says_why_it_refuses_in_one_line() -> None:
    result = CliRunner().invoke(main, ["extract-text", "-"], input=_figures(3_000))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: 3,000 figures in one article (cap 2,000): not article prose"
    ]


def test_extract_text_explain_refuses_only_a_text_past_the_size_cap() -> None:
    prose = "居民在社区里散步，孩子们在广场上玩耍。"
    text = prose * (MAX_TEXT_CHARS // len(prose) + 1)
    result = CliRunner().invoke(main, ["extract-text", "--explain", "-"], input=text)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {len(text):,} characters of text in one article (cap 200,000): not article prose"
    ]
    listed = CliRunner().invoke(main, ["extract-text", "--explain", "-"], input=_figures(3_000))
    assert listed.exit_code == 0
    assert listed.output.count("kept") >= 3_000


# What the bisections replace: the scans as they were written first.


def _period_by_scan(references: list[TimeReference], position: int, paragraph_start: int) -> Period | None:
    current: Period | None = None
    for ref in references:
        if ref.end > position:
            break
        if ref.start < paragraph_start or not ref.sets_period:
            continue
        current = ref.period
    return current


def _clause_end_by_scan(text: str, position: int, ceiling: int) -> int:
    i = position
    while i < ceiling and text[i] not in CLAUSE_BREAKS[:-1]:
        i += 1
    return i


def _clause_begin_by_scan(text: str, position: int, floor: int) -> int:
    i = position
    closed_quotes = 0
    while i > floor:
        ch = text[i - 1]
        if ch in "）)":
            opening = _inner_parenthesis_start(text, i - 1, floor)
            if opening is None:
                break
            i = opening
            continue
        if ch in "，,；;：:。！？!?\n" or text.startswith("——", i - 2):
            break
        if ch == "”":
            closed_quotes += 1
        elif ch == "“":
            if closed_quotes == 0:
                break
            closed_quotes -= 1
        i -= 1
    return i


_PERIODS = (
    None,
    Period("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    Period("2025-H1", dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
    Period("2025-09", dt.date(2025, 9, 1), dt.date(2025, 9, 30)),
)


@st.composite
def _references(draw: st.DrawFn) -> list[TimeReference]:
    """References as find_time_references gives them: in text order, not overlapping."""
    references: list[TimeReference] = []
    at = 0
    shapes = st.tuples(st.integers(0, 6), st.integers(1, 6), st.sampled_from(_PERIODS), st.booleans())
    for gap, length, period, sets_period in draw(st.lists(shapes, max_size=30)):
        references.append(TimeReference(at + gap, at + gap + length, period, sets_period))
        at += gap + length
    return references


@given(_references(), st.integers(0, 400), st.integers(0, 400))
def test_period_at_is_what_a_scan_of_the_references_finds(
    references: list[TimeReference], position: int, paragraph_start: int
) -> None:
    expected = _period_by_scan(references, position, paragraph_start)
    assert period_at(Timeline(references), position, paragraph_start) == expected


_WRITTEN = (
    "2024年",
    "今年上半年",
    "前三季度",
    "9月份",
    "1至10月",
    "比上年",
    "较去年同期",
    "目前",
    "“十四五”期间",
    "自2023年3月",
    "10月27日电",
    "春节假期",
    "产量",
    "增长5%",
    "120万吨",
    "，",
    "。",
    "\n",
)


@settings(max_examples=60)
@given(st.lists(st.sampled_from(_WRITTEN), max_size=40))
def test_period_at_agrees_with_the_scan_on_written_text(parts: list[str]) -> None:
    text = "".join(parts)
    references = find_time_references(text, PeriodResolver(dt.date(2025, 9, 3)))
    timeline = Timeline(references)
    starts = paragraph_starts(text)
    for position in range(len(text) + 1):
        paragraph_start = starts[bisect.bisect_right(starts, position) - 1]
        expected = _period_by_scan(references, position, paragraph_start)
        assert period_at(timeline, position, paragraph_start) == expected


# Runs of one character make clauses longer than the reach; the marks are every character the clause
# scans stop at or step over
_CLAUSE_PIECES = st.sampled_from(
    (
        "产量",
        "5吨",
        "，",
        "、",
        "；",
        "：",
        "。",
        "\n",
        "“",
        "”",
        "（",
        "）",
        "(",
        ")",
        "—",
        "——",
        "研发（R&D）",
    )
) | st.builds(lambda n: "量" * n, st.integers(CLAUSE_REACH - 20, CLAUSE_REACH + 20))


@settings(max_examples=150)
@given(st.lists(_CLAUSE_PIECES, min_size=1, max_size=30), st.data())
def test_clause_bounds_are_the_scans_within_the_reach(parts: list[str], data: st.DataObject) -> None:
    text = "".join(parts)
    position = data.draw(st.integers(0, len(text)))
    floor = data.draw(st.integers(0, position))
    ceiling = data.draw(st.integers(position, len(text)))
    expected_begin = _clause_begin_by_scan(text, position, max(floor, position - CLAUSE_REACH))
    assert clause_begin(text, position, floor) == expected_begin
    expected_end = _clause_end_by_scan(text, position, min(ceiling, position + CLAUSE_REACH))
    assert clause_end(text, position, ceiling) == expected_end
