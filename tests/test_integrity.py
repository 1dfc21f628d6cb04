"""The integrity rules on their own: error pages are recognised from the cleaned article, never a
real article; a new version that lost most of a stored article is a suspicious change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_parse_all_fixtures import ARTICLES, parsed, url_of

from etl import compose
from etl.integrity import ArticleStats, error_page_reason, suspicious_change
from etl.models import Article, Failure, PageKind, PageRef, Paragraph

TESTS = Path(__file__).parent
GOLD_FILES = sorted(
    str(p.relative_to(TESTS))
    for d in ("gold", "gold_holdout", "gold_holdout_written")
    for p in (TESTS / d).glob("*.json")
)


def _article(*paragraphs: str, title: str = "前8个月中欧班列开行超1.2万列") -> Article:
    return Article(
        url="http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170118.html",
        title=title,
        template="epaper_new",
        paragraphs=tuple(Paragraph(p) for p in paragraphs),
    )


@pytest.mark.parametrize(
    "notice",
    [
        ("系统维护中，请稍后访问…",),
        ("抱歉，您访问的页面不存在！", "返回首页"),
        ("服务器繁忙，请稍后再试。",),
        ("404 Not Found",),
        ("404",),
        ("访问出错了，错误代码：500",),
        ("网站正在维护，给您带来不便敬请谅解。", "请稍后访问人民网。"),
        ("Service Unavailable",),
    ],
)
def test_error_and_maintenance_notices_are_recognised(notice: tuple[str, ...]) -> None:
    reason = error_page_reason(_article(*notice))
    assert reason is not None and reason.startswith("error or maintenance page, not an article: “")
    assert "\n" not in reason


@pytest.mark.parametrize(
    "body",
    [
        # News about maintenance, said as news says it.
        (
            "本报北京9月2日电　记者从中国国家铁路集团有限公司获悉：铁路12306网站将于9月3日23时至次日1时"
            "进行系统维护，其间暂停购票、改签和退票业务。",
        ),
        ("记者从市交通委获悉，地铁2号线部分车站自动扶梯正在维护中，预计9月5日恢复使用。",),
        ("坚决维护中国核心利益。",),
        ("全省新开工项目404个，总投资1.2万亿元。",),
        # A notice quoted inside an article of normal length is a small share of it.
        (
            "国家网信办近日通报，部分政务网站长期显示“系统维护中，请稍后访问”，群众办事无从下手。",
            "通报要求，各地区各部门要对政务网站开展全面排查，对长期无法访问、内容不更新的网站限期整改，"
            "确有必要关停的要按程序报批，并在原网址发布关停公告，引导群众通过政务服务平台办理相关事项。",
            "据统计，今年上半年，全国共排查政务网站1.4万个，整改问题网站860余个，关停整合网站120个。",
        ),
    ],
)
def test_articles_that_mention_maintenance_are_not_error_pages(body: tuple[str, ...]) -> None:
    assert error_page_reason(_article(*body)) is None


@pytest.mark.parametrize("name", ARTICLES)
def test_no_fixture_article_is_an_error_page(name: str) -> None:
    article = parsed(name, url_of(name))
    assert isinstance(article, Article)
    assert error_page_reason(article) is None


@pytest.mark.parametrize("name", GOLD_FILES)
def test_no_gold_article_is_an_error_page(name: str) -> None:
    text = json.loads((TESTS / name).read_text(encoding="utf-8"))["text"]
    assert error_page_reason(_article(*text.split("\n"))) is None


def test_a_maintenance_page_becomes_a_parse_failure() -> None:
    ref = PageRef(_article().url, PageKind.EPAPER_ARTICLE)
    result = compose.complete_article(ref, _article("系统维护中，请稍后访问…"))
    assert isinstance(result, Failure)
    assert (result.stage, result.kind) == ("parse", PageKind.EPAPER_ARTICLE)
    assert "系统维护中" in result.reason


STORED = ArticleStats(body_chars=4120, paragraphs=23, indicators=17)


def test_an_article_that_lost_its_body_and_figures_is_suspicious() -> None:
    reason = suspicious_change(STORED, ArticleStats(body_chars=38, paragraphs=1, indicators=0))
    assert reason == (
        "suspicious change: body 4,120 → 38 characters, paragraphs 23 → 1, indicators 17 → 0; "
        "kept the stored version (rerun with --accept-changes to take it)"
    )


@pytest.mark.parametrize(
    "new",
    [
        ArticleStats(body_chars=4200, paragraphs=24, indicators=17),  # a correction, a paragraph added
        ArticleStats(body_chars=2500, paragraphs=14, indicators=9),  # cut by 40 %
        ArticleStats(body_chars=1600, paragraphs=9, indicators=12),  # shorter, but the figures kept
        ArticleStats(body_chars=4120, paragraphs=23, indicators=3),  # a stricter extractor: same body
        ArticleStats(body_chars=9000, paragraphs=50, indicators=40),  # page 2 now merged in
    ],
)
def test_ordinary_revisions_are_not_suspicious(new: ArticleStats) -> None:
    assert suspicious_change(STORED, new) is None


def test_without_stored_indicators_the_body_decides() -> None:
    stored = ArticleStats(body_chars=1500, paragraphs=8, indicators=0)
    assert suspicious_change(stored, ArticleStats(body_chars=500, paragraphs=3, indicators=0)) is not None
    assert suspicious_change(stored, ArticleStats(body_chars=700, paragraphs=4, indicators=0)) is None


def test_a_short_stored_article_is_left_to_the_error_page_check() -> None:
    stored = ArticleStats(body_chars=150, paragraphs=1, indicators=2)
    assert suspicious_change(stored, ArticleStats(body_chars=20, paragraphs=1, indicators=0)) is None
