"""Pages that must fail loudly (ParseError with a one-line reason), never as an empty Article."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.clean import clean_article
from etl.parse import ParseError, detect_template, parse_article, parse_layout

FIXTURES = Path(__file__).parent / "fixtures"
POLITICS = (FIXTURES / "real" / "people_politics_n1_2024-04-24_c1001-40223222.html").read_text(
    encoding="utf-8"
)
POLITICS_URL = "http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html"
NO_ARTICLE = "no known article template matched; generic reader: article body not found"
LAYOUT = (FIXTURES / "real" / "rmrb_pc_layout_2024-12-25_node_01.html").read_text(encoding="utf-8")
LAYOUT_URL = "http://paper.people.com.cn/rmrb/pc/layout/202412/25/node_01.html"
EPAPER = (FIXTURES / "pages" / "rmrb_pc_content_2026-09-17_content_30181577.html").read_text(encoding="utf-8")
EPAPER_URL = "http://paper.people.com.cn/rmrb/pc/content/202609/17/content_30181577.html"


def parse_error(html: str, url: str = POLITICS_URL) -> str:
    with pytest.raises(ParseError) as caught:
        parse_article(html, url)
    reason = str(caught.value)
    assert reason and "\n" not in reason
    return reason


@pytest.mark.parametrize("html", ["", "   \r\n\t"])
def test_empty_page(html: str) -> None:
    assert parse_error(html) == "empty page"
    with pytest.raises(ParseError, match="empty page"):
        parse_layout(html, LAYOUT_URL)
    assert detect_template(html) is None


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.85, 0.97])
def test_truncated_download(fraction: float) -> None:
    cut = POLITICS[: int(len(POLITICS) * fraction)]
    assert "truncated" in parse_error(cut)
    with pytest.raises(ParseError, match="truncated"):
        parse_layout(LAYOUT[: int(len(LAYOUT) * fraction)], LAYOUT_URL)


def test_page_cut_before_the_body_and_closed_again() -> None:
    head_only = POLITICS[: POLITICS.index('<div class="rm_txt_con')] + "</body></html>"
    assert parse_error(head_only) == NO_ARTICLE


def test_title_but_empty_body() -> None:
    html = (FIXTURES / "pages" / "people_politics_n1_2026-09-16_c1001-41233990.title_only.html").read_text()
    assert detect_template(html) == "portal_2020"
    assert parse_error(html) == "portal_2020: article body is empty"


def test_epaper_page_with_title_and_empty_ozoom() -> None:
    html = re.sub(r"<!--enpcontent-->.*<!--/enpcontent-->", "", EPAPER, flags=re.DOTALL)
    html = re.sub(r'<div id="articleContent".*?</div>', "", html, flags=re.DOTALL)
    assert parse_error(html, EPAPER_URL) == "epaper_new: article body is empty"


def test_page_no_template_matches() -> None:
    html = (FIXTURES / "pages" / "people_politics_GB_1024_index.html").read_text()
    assert detect_template(html) is None
    assert parse_error(html) == NO_ARTICLE
    with pytest.raises(ParseError, match="no known layout template matched"):
        parse_layout(html, "http://politics.people.com.cn/GB/1024/index.html")


def test_renamed_template_classes_read_the_whole_article_through_the_generic_fallback() -> None:
    # A redesign that renames the body container loses no field: the generic reader finds the same
    # title, dateline, source, 责编, bylines and paragraphs, and says it was the one that read it.
    before = clean_article(parse_article(POLITICS, POLITICS_URL))
    redesigned = clean_article(parse_article(POLITICS.replace("rm_txt_con", "rm_article_body"), POLITICS_URL))
    assert redesigned.template == "generic"
    assert replace(redesigned, template=before.template) == before


def test_article_with_title_missing() -> None:
    html = re.sub(r"<h1>促进航天技术.*?</h1>", "<h1></h1>", POLITICS)
    html = re.sub(r"<title>.*?</title>", "<title></title>", html, flags=re.DOTALL)
    assert parse_error(html) == "portal_2020: article title is empty"


def test_layout_without_any_article_link() -> None:
    html = re.sub(r'<div class="news">.*?</ul>\s*</div>', "", LAYOUT, flags=re.DOTALL)
    html = re.sub(r"<MAP NAME=\"PagePicMap\">.*?</MAP>", "", html, flags=re.DOTALL | re.IGNORECASE)
    with pytest.raises(ParseError, match="layout page lists no articles"):
        parse_layout(html, LAYOUT_URL)


def test_bytes_are_not_accepted_silently() -> None:
    # The stage takes decoded text only: bs4 fed bytes declaring GB2312 that are UTF-8 mis-decodes.
    with pytest.raises(TypeError, match="decoded text"):
        parse_article(POLITICS.encode("utf-8"), POLITICS_URL)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="decoded text"):
        parse_layout(LAYOUT.encode("utf-8"), LAYOUT_URL)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_pages_parse_fully_or_raise(data: st.DataObject) -> None:
    """Cut a random span out of a real page: the result is a usable article or a ParseError."""
    source, url = data.draw(st.sampled_from([(POLITICS, POLITICS_URL), (EPAPER, EPAPER_URL)]))
    start = data.draw(st.integers(0, len(source) - 1))
    end = data.draw(st.integers(start, min(len(source), start + 4000)))
    try:
        article = parse_article(source[:start] + source[end:], url)
    except ParseError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert article.title
    assert article.paragraphs or article.images
    assert all(p.text for p in article.paragraphs)
