"""clean_article: normalisation, boilerplate lines, bylines and captions."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.clean import clean_article, normalise_text
from etl.models import Article, Image, Paragraph

BODY = (
    "　　交通运输部16日发布数据显示，1—8月，全国港口完成货物吞吐量118.6亿吨，同比增长4.2%。",
    "　　业内人士分析，港口生产有望保持平稳增长态势。",
)


def article(*paragraphs: str, images: tuple[Image, ...] = (), **fields: object) -> Article:
    base = Article(
        url="http://paper.people.com.cn/rmrb/pc/content/202609/17/content_30181577.html",
        title="港口生产保持平稳增长",
        template="epaper_new",
        published_at=dt.datetime(2026, 9, 17),
        paragraphs=tuple(Paragraph(p) for p in paragraphs),
        images=images,
    )
    return Article(**{**{f: getattr(base, f) for f in Article.__slots__}, **fields})


def texts(a: Article) -> list[str]:
    return [p.text for p in a.paragraphs]


def test_normalise_text() -> None:
    assert normalise_text("　　本报北京9月16日电\u3000交通运输部\xa0发布 \r\n 数据\u200b。 ") == (
        "本报北京9月16日电 交通运输部 发布 数据。"
    )
    assert normalise_text("，。“”（）") == "，。“”（）"  # full-width punctuation is copy, not noise


@given(st.text())
def test_normalise_text_is_idempotent_and_trimmed(s: str) -> None:
    once = normalise_text(s)
    assert normalise_text(once) == once
    assert once == once.strip() and "  " not in once and "\u3000" not in once and "\xa0" not in once


@pytest.mark.parametrize(
    "line",
    [
        "分享让更多人看到",
        "Play Video",
        "(责编：牛镛、岳弘彬)",
        "（责编：萧潇、张妍）",
        "责任编辑：王斌",
        "原标题：春季学期开学，织密返校疫情防控网",
        "（原标题：前三季度我国货物贸易进出口总值33.6万亿元）",
        "【责任编辑：王斌】",
        "（来源：经济日报）",
        "来源：人民网－人民日报",
        "（完）",
        "《人民日报》（2026年09月17日 第 02 版）",
        "《 人民日报 》（ 2019年03月01日 04 版）",
        "上一篇 下一篇 返回目录",
        "放大 缩小 全文复制",
        "下一篇：加快建设现代化产业体系",
        "人 民 网 股 份 有 限 公 司 版 权 所 有 ，未 经 书 面 授 权 禁 止 使 用",
        "Copyright © 1997-2026 by www.people.com.cn. all rights reserved",
        "京ICP证000006号 | 京公网安备11000002000008号",
        "人民日报违法和不良信息举报电话：010-65363263",
        "网站备案号：京ICP备12004265号-13",
        "articleid 30181577 2026-09-17 04:58:12:000000 /enpproperty-->",
        "相关新闻",
        "人民日报客户端下载",
        "点击进入“文艺星青年”>>",
        "showPlayer({scriptId:'q_v_j-1', videoInfo:[{src:'a.mp4'}]})",
        "***",
        "　　",
    ],
)
def test_boilerplate_lines_are_dropped(line: str) -> None:
    cleaned = clean_article(article(BODY[0], line, BODY[1]))
    assert texts(cleaned) == [normalise_text(BODY[0]), normalise_text(BODY[1])]


def test_news_that_mentions_licences_or_copyright_is_kept() -> None:
    long_news = (
        "国家版权局9月16日发布通知，要求各网络平台切实履行主体责任，对未经授权传播的影视作品及时处理。"
        "据统计，今年以来全国共查办网络侵权盗版案件1200余起，删除侵权链接86万条，"
        "依法关闭侵权盗版网站320个，有效维护了著作权人合法权益和互联网新闻信息服务许可证管理秩序。"
    )
    assert texts(clean_article(article(long_news))) == [long_news]


def test_byline_paragraph_moves_to_authors() -> None:
    cleaned = clean_article(article("□ 本报记者 葛灵丹", BODY[0], "本报记者 程  浩"))
    assert texts(cleaned) == [normalise_text(BODY[0])]
    assert cleaned.authors == ("葛灵丹", "程浩")


def test_authors_are_names_without_roles() -> None:
    cleaned = clean_article(article(BODY[0], authors=("本报记者 陈晓航", "陈晓航", " 王静远 ", "本报评论部")))
    assert cleaned.authors == ("陈晓航", "王静远", "本报评论部")


def test_caption_printed_again_as_a_paragraph_is_dropped() -> None:
    photo = Image(0, "http://paper.people.com.cn/a.jpg", "浙江宁波舟山港梅山港区一角。", "本报记者 陈晓航摄")
    cleaned = clean_article(
        article(
            BODY[0],
            "浙江宁波舟山港梅山港区一角。",
            "浙江宁波舟山港梅山港区一角。 本报记者 陈晓航摄",
            "本报记者 陈晓航摄",
            BODY[1],
            images=(photo,),
        )
    )
    assert texts(cleaned) == [normalise_text(BODY[0]), normalise_text(BODY[1])]
    assert cleaned.images == (photo,)


def test_caption_printed_twice_is_one_caption_and_credit_is_split() -> None:
    doubled = "居民在改造后的小区广场上休闲。居民在改造后的小区广场上休闲。"
    raw = (
        Image(0, "http://sc.people.com.cn/1.jpg", doubled),
        Image(1, "http://sc.people.com.cn/2.jpg", "9月15日，穆坪镇改造后的老旧小区。 人民网记者 王初摄"),
        Image(2, "http://sc.people.com.cn/1.jpg", "重复的图片"),  # same photo twice
        Image(3, "http://sc.people.com.cn/3.jpg", "新华社记者 张平 摄", "新华社记者 张平 摄"),
    )
    cleaned = clean_article(article(BODY[0], images=raw))
    assert [(i.position, i.src[-5:], i.caption, i.credit) for i in cleaned.images] == [
        (0, "1.jpg", "居民在改造后的小区广场上休闲。", None),
        (1, "2.jpg", "9月15日，穆坪镇改造后的老旧小区。", "人民网记者 王初摄"),
        (2, "3.jpg", None, "新华社记者 张平 摄"),
    ]


def test_subheads_survive_and_consecutive_duplicates_go() -> None:
    raw = article(BODY[0])
    raw = Article(
        **{
            **{f: getattr(raw, f) for f in Article.__slots__},
            "paragraphs": (
                Paragraph("　　外贸航线加密", is_subhead=True),
                Paragraph(BODY[0]),
                Paragraph(BODY[0]),
            ),
        }
    )
    cleaned = clean_article(raw)
    assert cleaned.paragraphs == (
        Paragraph("外贸航线加密", is_subhead=True),
        Paragraph(normalise_text(BODY[0])),
    )


def test_headings_and_metadata_are_normalised() -> None:
    cleaned = clean_article(
        article(
            BODY[0],
            title=" 港口生产保持平稳增长--经济--人民网 ",
            pre_title="　",
            subtitle="港口生产保持平稳增长",
            source=" 新华网\xa0",
            editors=("牛镛", " 岳弘彬", "牛镛"),
            page_name=" 要闻 ",
        )
    )
    assert cleaned.title == "港口生产保持平稳增长"
    assert cleaned.pre_title is None and cleaned.subtitle is None  # empty, or a repeat of the title
    assert (cleaned.source, cleaned.editors, cleaned.page_name) == ("新华网", ("牛镛", "岳弘彬"), "要闻")
    assert cleaned.published_at == dt.datetime(2026, 9, 17)


def test_clean_is_pure_and_idempotent() -> None:
    raw = article("□ 本报记者 葛灵丹", *BODY, "分享让更多人看到")
    snapshot = repr(raw)
    once = clean_article(raw)
    assert repr(raw) == snapshot
    assert clean_article(once) == once


@pytest.mark.parametrize(
    "line",
    [
        "（相关报道见第二版）",
        "（图片报道见第六版）",
        "（下转第四版）",
        "（上接第一版）",
        "(见第3版)",
        "（相关评论见第五版）",
    ],
)
def test_page_jump_lines_are_dropped(line: str) -> None:
    assert texts(clean_article(article(BODY[0], line, BODY[1]))) == [normalise_text(b) for b in BODY]


def test_page_jumps_at_the_edges_of_a_paragraph_are_cut() -> None:
    cleaned = clean_article(
        article(
            "（上接第一版）各地组织联合收割机投入秋收。", "确保颗粒归仓。（下转第四版）", "详见第二版的报道。"
        )
    )
    assert texts(cleaned) == ["各地组织联合收割机投入秋收。", "确保颗粒归仓。", "详见第二版的报道。"]
    assert clean_article(cleaned) == cleaned


def test_closing_credit_paragraph_moves_to_authors() -> None:
    cleaned = clean_article(article(*BODY, "（本报记者  李  洋）"))
    assert texts(cleaned) == [normalise_text(b) for b in BODY]
    assert cleaned.authors == ("李洋",)


@pytest.mark.parametrize(
    "line", ["本报记者 陈晓航摄", "（影像中国）", "新华社记者 张平 摄", "宝兴居民区供图"]
)
def test_photo_credit_left_on_its_own_line_is_dropped(line: str) -> None:
    cleaned = clean_article(article(BODY[0], line, BODY[1]))
    assert texts(cleaned) == [normalise_text(b) for b in BODY]
    assert cleaned.authors == ()  # a photographer is not the author of the text


def test_sentence_ending_in_a_credit_like_word_is_kept() -> None:
    line = "游客在景区拍摄"
    assert texts(clean_article(article(line))) == [line]
