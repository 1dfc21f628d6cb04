"""Qualifier words around a figure: 约 / 左右 → approx, 超 / 以上 / 余 → gt, 不到 / 近 → lt."""

from __future__ import annotations

import re

from etl.models import Qualifier

# Words written immediately before the number. Longest first inside the alternation.
_PREFIXES: dict[str, Qualifier] = {
    "大约": Qualifier.APPROX,
    "约为": Qualifier.APPROX,
    "约": Qualifier.APPROX,  # not 签约 / 节约: see below
    "接近": Qualifier.LT,
    "将近": Qualifier.LT,
    "近": Qualifier.LT,
    "超过": Qualifier.GT,
    "超出": Qualifier.GT,
    "超": Qualifier.GT,
    "突破": Qualifier.GT,
    # 迈上1400亿斤新台阶, 跨上万亿元台阶: the figure is a threshold passed
    "迈上": Qualifier.GT,
    "跨上": Qualifier.GT,
    "跃上": Qualifier.GT,
    "迈过": Qualifier.GT,
    "逾": Qualifier.GT,
    "至少": Qualifier.GT,
    "不少于": Qualifier.GT,
    "不低于": Qualifier.GT,
    "不到": Qualifier.LT,
    "不足": Qualifier.LT,
    "不超过": Qualifier.LT,
    "不及": Qualifier.LT,
    "低于": Qualifier.LT,
    "优于": Qualifier.LT,  # 定位精度优于5米: a bound on an error
}
_SUFFIXES: dict[str, Qualifier] = {
    "左右": Qualifier.APPROX,
    "上下": Qualifier.APPROX,
    "以上": Qualifier.GT,
    "出头": Qualifier.GT,
    "以下": Qualifier.LT,
}
# "约占全市的61%", "同比增长约11%": 约 governs the figure from further back in its clause.
_CLAUSE_APPROX = re.compile(r"(?:约占|约为|约合|约有|大约)[^，,。；;：:、]*$")

# 签约1.3亿人, 节约2000吨: 约 ends a word there and qualifies nothing
PREFIX_PATTERN = re.compile(
    r"(?<![签节制条公预相邀履合违解特婚誓践集])(?:"
    + "|".join(sorted(_PREFIXES, key=len, reverse=True))
    + r")\s*$"
)
SUFFIX_PATTERN = re.compile("(?:" + "|".join(sorted(_SUFFIXES, key=len, reverse=True)) + ")")


def prefix_qualifier(before: str) -> tuple[Qualifier | None, int]:
    """Qualifier written right before the number, and how many characters it takes."""
    match = PREFIX_PATTERN.search(before)
    if match is None:
        return None, 0
    word = match.group().strip()
    # 近年 / 近期 are not "nearly"; they never precede a digit, so only 将近/接近 need care here
    return _PREFIXES[word], len(match.group())


def suffix_qualifier(after: str) -> tuple[Qualifier | None, int]:
    """Qualifier written right after number and unit (以上, 左右), and its length."""
    match = SUFFIX_PATTERN.match(after)
    if match is None:
        return None, 0
    return _SUFFIXES[match.group()], len(match.group())


def clause_approx(clause_before: str) -> bool:
    return _CLAUSE_APPROX.search(clause_before) is not None


def combine(
    *,
    prefix: Qualifier | None,
    suffix: Qualifier | None,
    more_than: bool,
    several: bool,
    round_figure: bool,
    approx_in_clause: bool,
) -> Qualifier:
    """One qualifier for a figure; a direction (gt/lt) beats a plain 'about'."""
    for candidate in (prefix, suffix):
        if candidate in (Qualifier.GT, Qualifier.LT):
            return candidate
    if more_than or several:
        return Qualifier.GT
    if prefix is Qualifier.APPROX or suffix is Qualifier.APPROX or approx_in_clause:
        return Qualifier.APPROX
    if round_figure:
        return Qualifier.APPROX
    return Qualifier.EXACT
