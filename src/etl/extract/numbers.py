"""Number grammar: Arabic figures (with decimals, thousands separators, full-width digits), Chinese
numerals (两, 七, 十余, 百余, 数万, 千亿) and the Chinese magnitudes 万 / 亿 / 万亿 / 千亿.

The patterns here are fragments; figures.py assembles them with the unit lexicon into one compiled
regex so an article is scanned once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FULLWIDTH_TO_ASCII = str.maketrans("０１２３４５６７８９．，", "0123456789.,")

# Thousands separators only as ASCII commas followed by exactly three digits: People's Daily uses
# the comma as ordinary clause punctuation too ("仅仅38天,位于…"), so anything looser would glue
# neighbouring clauses into one number.
ARABIC = r"[0-9０-９]+(?:,[0-9]{3}(?![0-9]))*(?:[.．][0-9０-９]+)?"
CHINESE = r"[〇零一二两三四五六七八九十百千]+"
# 数十 / 数百 / 数千 / 数万 / 数亿: "several" — a lower bound
SEVERAL = r"数[十百千]?"
NUMBER = rf"(?:{ARABIC}|{SEVERAL}|{CHINESE})"
MAGNITUDE = r"(?:万亿|千亿|百亿|十亿|亿|千万|百万|十万|万)"
MORE_THAN = r"[余多]"

CHINESE_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
MAGNITUDES: dict[str, Decimal] = {
    "万亿": Decimal(10) ** 12,
    "千亿": Decimal(10) ** 11,
    "百亿": Decimal(10) ** 10,
    "十亿": Decimal(10) ** 9,
    "亿": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "十万": Decimal(10) ** 5,
    "万": Decimal(10) ** 4,
}


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    value: Decimal
    several: bool  # 数万: only a lower bound is known
    round_figure: bool  # 千亿, 百余: a bare magnitude without leading digits
    chinese: bool


def chinese_to_int(numeral: str) -> int:
    """Value of a Chinese numeral below 10 000 (一千二百三十四, 十五, 两, 二〇二四 digit by digit)."""
    if all(ch in CHINESE_DIGITS for ch in numeral):
        # digit-by-digit spelling (二〇二四) or a single digit
        value = 0
        for ch in numeral:
            value = value * 10 + CHINESE_DIGITS[ch]
        return value
    total = 0
    pending = 0
    for ch in numeral:
        if ch in CHINESE_DIGITS:
            pending = CHINESE_DIGITS[ch]
        else:
            total += (pending or 1) * CHINESE_UNITS[ch]
            pending = 0
    return total + pending


def parse_number(number: str, magnitude: str | None) -> ParsedNumber:
    """Value of the matched number text with its magnitude applied."""
    scale = MAGNITUDES[magnitude] if magnitude else Decimal(1)
    if number == "半":  # 半年, 半个月
        return ParsedNumber(Decimal("0.5"), several=False, round_figure=False, chinese=True)
    if number.startswith("数"):
        base = CHINESE_UNITS.get(number[1:], 1) if len(number) > 1 else 1
        return ParsedNumber(Decimal(base) * scale, several=True, round_figure=False, chinese=True)
    if number[0] in CHINESE_DIGITS or number[0] in CHINESE_UNITS:
        bare_magnitude = number[0] in CHINESE_UNITS and len(number) == 1
        value = Decimal(chinese_to_int(number)) * scale
        return ParsedNumber(value, several=False, round_figure=bare_magnitude, chinese=True)
    ascii_number = number.translate(FULLWIDTH_TO_ASCII).replace(",", "")
    return ParsedNumber(Decimal(ascii_number) * scale, several=False, round_figure=False, chinese=False)
