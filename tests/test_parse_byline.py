"""Grammar of bylines and photo credits as printed by People's Daily and 人民网."""

from __future__ import annotations

import pytest

from etl.text_grammar.byline import (
    credit_line_editors,
    credited_names,
    is_byline_paragraph,
    names_in,
    split_credit,
)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("□ 本报记者 葛灵丹", ("葛灵丹",)),
        ("本报记者 王某 李某", ("王某", "李某")),
        ("（本报记者 王某）", ("王某",)),
        ("本报记者 张三 本报通讯员 李四", ("张三", "李四")),
        ("人民网记者 王初 实习生 李佳怡", ("王初", "李佳怡")),
        ("本报驻纽约记者 黄晓明", ("黄晓明",)),
        ("新华社记者", ()),
        ("本报评论员", ("本报评论员",)),  # a collective signature is the only author there is
        ("本报记者 程 浩", ("程浩",)),  # print pads two-character names
        ("本报记者 许 诺 方子豪", ("许诺", "方子豪")),
        ("文/图 本报记者 赵鹏", ("赵鹏",)),
    ],
)
def test_byline_paragraphs(text: str, names: tuple[str, ...]) -> None:
    assert is_byline_paragraph(text)
    assert names_in(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "记者手记",  # a column head, not a name
        "记者调查",
        "江苏多地日前发布通知，部署春季学期开学师生返校和疫情防控工作。",
        "记者了解到，今年以来新开通国际集装箱航线42条。",
        "本报记者" + "很长的一段正文" * 10,
        "人民网记者 刘颖颖摄",  # a photo credit on its own line under a caption
        "（新华社记者 张平 摄）",
    ],
)
def test_not_byline_paragraphs(text: str) -> None:
    assert not is_byline_paragraph(text)


def test_mojibake_names_are_dropped() -> None:
    tail = "造福全人类。（记者宋晨、田中全、胡\ufffd础⒑钗睦ぃ\ufffd"
    assert credited_names(tail, is_first=False) == ("宋晨", "田中全")


def test_wire_lead_credit_only_in_the_first_paragraph() -> None:
    lead = "新华社北京4月24日电（记者 宋晨、田中全）4月24日，论坛在北京开幕。"
    assert credited_names(lead, is_first=True) == ("宋晨", "田中全")
    assert credited_names(lead, is_first=False) == ()


def test_tail_credit() -> None:
    assert credited_names("项目预计年内完工。（记者 宋晨、田中全）", is_first=False) == ("宋晨", "田中全")
    assert credited_names("项目预计年内完工。（完）", is_first=False) == ()


@pytest.mark.parametrize(
    ("text", "caption", "credit"),
    [
        (
            "4月23日，游客在成都大熊猫繁育研究基地参观。人民网记者 王初摄",
            "4月23日，游客在成都大熊猫繁育研究基地参观。",
            "人民网记者 王初摄",
        ),
        ("山区公路在云海中蜿蜒。 新华社记者 张平 摄", "山区公路在云海中蜿蜒。", "新华社记者 张平 摄"),
        ("居民在社区广场上休闲。宝兴居民区供图", "居民在社区广场上休闲。", "宝兴居民区供图"),
        (
            "1月3日，民众聚集在白宫外。 朱莉娅·尼金森摄（影像中国）",
            "1月3日，民众聚集在白宫外。",
            "朱莉娅·尼金森摄（影像中国）",
        ),
        ("夜色中的大桥。人民网 马作鹏摄", "夜色中的大桥。", "人民网 马作鹏摄"),
        ("黄山云海。（影像中国）", "黄山云海。", "影像中国"),
        ("图为施工现场。本报记者 张三 李四摄", "图为施工现场。", "本报记者 张三 李四摄"),
        (
            "中欧班列驶出车站。 唐 奕摄（影像中国）",
            "中欧班列驶出车站。",
            "唐奕摄（影像中国）",
        ),  # the padding is undone
        ("（新华社记者 张平摄）", None, "新华社记者 张平摄"),
        ("游客在景区拍摄", "游客在景区拍摄", None),  # "拍摄" inside a sentence is not a credit
        ("孩子们在田间体验插秧。", "孩子们在田间体验插秧。", None),
    ],
)
def test_split_credit(text: str, caption: str | None, credit: str | None) -> None:
    assert split_credit(text) == (caption, credit)


@pytest.mark.parametrize(
    ("line", "editors"),
    [
        ("本版责编：王  浩  李  平", ("王浩", "李平")),
        ("本版责编：张  文  谭晓涵", ("张文", "谭晓涵")),
        ("责任编辑：吴凯、于洋", ("吴凯", "于洋")),
        ("本版责编：李  拯  版式设计：张丹峰", ("李拯",)),
        ("本版责编：王浩  本版统筹：李平", ("王浩",)),  # a role we have never seen still ends the list
    ],
)
def test_credit_line_editors(line: str, editors: tuple[str, ...]) -> None:
    assert credit_line_editors(line) == editors
