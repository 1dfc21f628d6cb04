"""Grammar of bylines and photo credits.

Bylines are not a DOM field on People's Daily pages: the portal prints them as a body paragraph
("□ 本报记者 葛灵丹"), inside the wire lead ("新华社北京4月24日电（记者 宋晨）") or as a tail
("（记者 宋晨、田中全）"); the e-paper prints them before the issue reference in `.sec`. Photo
captions end with a credit ("人民网记者 王初摄", "宝兴居民区供图", "（影像中国）").
"""

from __future__ import annotations

import re

from etl.text_grammar.patterns import RX_CREDIT_EDITORS

_HAN = "\u4e00-\u9fff"
_OUTLETS = "新华社|人民网|人民日报|本报|中新社|经济日报|光明日报|央视|中央广电总台"
# "本报记者", "新华社记者", "本报驻纽约记者", "本报通讯员", "本报特约记者", "人民网记者", "本报评论员".
ROLE = rf"(?:(?:{_OUTLETS})?(?:驻[{_HAN}]{{1,10}})?(?:特约|实习|见习|首席)?(?:记者|通讯员|评论员|实习生))"
# A personal name: 2–4 Han characters, or a transliterated name joined by middle dots.
NAME = rf"(?:[{_HAN}]{{1,8}}(?:[·・•][{_HAN}]{{1,8}})+|[{_HAN}]{{2,4}})"
_SEP = r"[\s、，,]+"
# Print pads a two-character name to the width of three: "程  浩", "唐  奕摄".
_PADDED_NAME = rf"(?:{NAME}|[{_HAN}]\s+[{_HAN}])"

_RX_BYLINE_PARAGRAPH = re.compile(
    rf"^[□■◎●▲◆\s]*[（(【]?\s*(?:(?:文[/／]图|图[/／]文|文|图)(?:\s*[：:/／|｜]\s*|\s+))?"
    rf"{ROLE}[\s：:]*(?:{_PADDED_NAME}(?:{_SEP}(?:{ROLE}[\s：:]*)?{_PADDED_NAME})*)?\s*[）)】]?\s*$"
)
# "…造福全人类。（记者宋晨、田中全）" and the same tail cut short without its closing bracket.
_RX_TAIL_CREDIT = re.compile(rf"[（(]\s*{ROLE}\s*(?P<names>[^（()）]{{2,40}}?)\s*(?:[）)]|$)\s*$")
# "新华社北京4月24日电（记者 宋晨）" / "本报北京4月24日电 （记者张三、李四）" / "本报讯（记者叶婉）".
_RX_LEAD_CREDIT = re.compile(rf"(?:电|讯)\s*[（(]\s*{ROLE}\s*(?P<names>[^（()）]{{2,40}}?)\s*[）)]")
_RX_ROLE = re.compile(ROLE)
_RX_HAN_CHAR = re.compile(f"[{_HAN}]")
_RX_NAME = re.compile(NAME)
_RX_COLLECTIVE = re.compile(rf"^(?:{_OUTLETS})?(?:特约)?评论员$")
# A photo credit ("人民网记者 刘颖颖摄", "（新华社记者 张平 摄）") has the shape of a byline plus 摄.
_RX_PHOTO_CREDIT_END = re.compile(r"(?:摄|供图)\s*[）)】]?\s*$")
# Words that follow 记者 in column heads ("记者手记", "记者调查") and would otherwise read as a name.
_NOT_NAMES = frozenset(
    {"手记", "观察", "调查", "走访", "探访", "追踪", "述评", "日记", "札记", "笔记", "再访", "感言"}
)


def is_byline_paragraph(text: str) -> bool:
    """A paragraph that is only a byline, e.g. "□ 本报记者 葛灵丹", "新华社记者", "（本报记者 王某）"."""
    if len(text) > 60 or _RX_BYLINE_PARAGRAPH.match(text) is None or _RX_PHOTO_CREDIT_END.search(text):
        return False
    return not any(word in text for word in _NOT_NAMES)


def names_in(text: str) -> tuple[str, ...]:
    """Person names in a byline fragment: roles stripped, split on 、/spaces, mojibake dropped.

    A collective byline with no name ("本报评论员") is kept as the author because it is the
    only signature such pieces carry.
    """
    stripped = text.strip(" \u3000□■◎●▲◆（()）【】")
    if _RX_COLLECTIVE.match(stripped):
        return (stripped,)
    tokens = [t.strip("：:/／|｜（()）【】") for t in re.split(_SEP, _RX_ROLE.sub(" ", stripped))]
    names: list[str] = []
    for token in _join_padded(tokens):
        if _is_name(token) and token not in names:
            names.append(token)
    return tuple(names)


def _join_padded(tokens: list[str]) -> list[str]:
    """Print pads two-character names to the width of three ("程  浩"): rejoin single characters.

    A run of single Han characters is read as padded two-character names, pair by pair.
    """
    joined: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and _RX_HAN_CHAR.fullmatch(token):
            run.append(token)
            continue
        joined.extend("".join(run[i : i + 2]) for i in range(0, len(run), 2))
        run = []
        if token:
            joined.append(token)
    return joined


def _is_name(token: str) -> bool:
    return (
        bool(token) and "\ufffd" not in token and token not in _NOT_NAMES and bool(_RX_NAME.fullmatch(token))
    )


def credited_names(paragraph: str, *, is_first: bool) -> tuple[str, ...]:
    """Names credited inside a running paragraph: the wire lead (first paragraph) or a tail."""
    found: list[str] = []
    if is_first and (lead := _RX_LEAD_CREDIT.search(paragraph)):
        found.extend(names_in(lead.group("names")))
    if tail := _RX_TAIL_CREDIT.search(paragraph):
        found.extend(names_in(tail.group("names")))
    return tuple(dict.fromkeys(found))


# ---- photo credits ---------------------------------------------------------------------------------

_PHOTO_BY = (
    rf"(?:(?:{_OUTLETS})\s*)?(?:特约|实习|见习|首席)?(?:摄影记者|记者|通讯员|摄影)?"
    rf"\s*{_PADDED_NAME}(?:{_SEP}{_PADDED_NAME}){{0,3}}\s*[/／]?\s*摄"
)
_SUPPLIED_BY = r"[^\s。！？，,：:]{2,20}(?:供图|制图|提供)"
_PICTURE_SOURCE = r"(?:图片来源|图片提供|图源)[：:]\s*[^。！？]{1,30}"
_AGENCIES = "影像中国|新华社发|人民视觉|视觉中国|人民图片|资料图片|本报资料图片|新华社|中新社"
_AGENCY_TAG = rf"[（(](?:{_AGENCIES})[^（）()]{{0,10}}[）)]"
_CREDIT_BODY = rf"(?:{_PHOTO_BY}|{_SUPPLIED_BY}|{_PICTURE_SOURCE}|资料图片|新华社发)"
_RX_CREDIT = re.compile(
    rf"(?:^|(?<=[。！？!?；;\s）)]))(?P<credit>[（(]\s*{_CREDIT_BODY}\s*[）)]|{_CREDIT_BODY}(?:\s*{_AGENCY_TAG})?|{_AGENCY_TAG})\s*$"
)


def split_credit(text: str) -> tuple[str | None, str | None]:
    """Split "caption。人民网记者 王初摄" into ("caption。", "人民网记者 王初摄").

    The credit must start at the beginning or after a sentence end / space, so a caption that
    merely ends in "拍摄" mid-sentence keeps its words. Brackets around a credit that stands
    alone ("（影像中国）") are dropped.
    """
    text = text.strip()
    m = _RX_CREDIT.search(text)
    if not m:
        return (text or None, None)
    caption = text[: m.start("credit")].strip() or None
    credit = m.group("credit").strip()
    if credit[0] in "（(" and credit[-1] in "）)":
        credit = credit[1:-1].strip()
    return (caption, _RX_PADDED_PAIR.sub(r"\1\2", credit) or None)


# A two-character name padded to the width of three ("唐  奕摄"), so that a search for 唐奕 finds it.
_RX_PADDED_PAIR = re.compile(rf"(?<![{_HAN}])([{_HAN}])[ \u3000]+([{_HAN}])(?=[ \u3000]*(?:摄|[（(、，,]|$))")


# ---- 版面 editor credits ---------------------------------------------------------------------------

_RX_CREDIT_SPLIT = re.compile(r"[\s、，,]+")


def credit_line_editors(title: str) -> tuple[str, ...]:
    """Editors named by a 版面 credit entry: "本版责编：王  浩  李  平" -> ("王浩", "李平").

    The print pads two-character names to the width of three, so lone characters pair up into one
    name; a token of two or more characters is a name on its own ("张  文  谭晓涵" -> 张文, 谭晓涵).
    """
    m = RX_CREDIT_EDITORS.search(title)
    if not m:
        return ()
    tokens = [t for t in _RX_CREDIT_SPLIT.split(m.group(1)) if _RX_HAN_CHAR.search(t)]
    names: list[str] = []
    i = 0
    while i < len(tokens):
        if len(tokens[i]) == 1 and i + 1 < len(tokens) and len(tokens[i + 1]) == 1:
            names.append(tokens[i] + tokens[i + 1])
            i += 2
        else:
            names.append(tokens[i])
            i += 1
    return tuple(dict.fromkeys(names))
